using System.Text;
using System.Text.Json;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Saml;

namespace FederationPortal.Core.Doctor;

/// <summary>
/// What the checks look at, read once per run: the environment, its desired state, its inventory, and the live state
/// of both clouds (the app, its service principal, claims policies, assignments; the IAM SAML provider and the roles).
/// A part that cannot be read leaves its property null and a line in <see cref="LoadProblems"/>.
/// </summary>
public sealed class DoctorContext
{
    private readonly List<string> loadProblems = [];

    private DoctorContext(FederationEnvironment environment, EnvironmentSpec spec, IReadOnlyList<ManagedResource> inventory, DoctorOptions options, DateTimeOffset now, IEntraDirectoryService entra, IAwsIam iam, IEnvironmentStore environments, IResourceInventory inventoryStore)
    {
        Environment = environment;
        Spec = spec;
        Inventory = inventory;
        Options = options;
        Now = now;
        Entra = entra;
        Iam = iam;
        Environments = environments;
        InventoryStore = inventoryStore;
        ProviderArn = FederationNames.ProviderArn(environment, spec);
    }

    public FederationEnvironment Environment { get; }

    public EnvironmentSpec Spec { get; }

    public IReadOnlyList<ManagedResource> Inventory { get; }

    public DoctorOptions Options { get; }

    public DateTimeOffset Now { get; }

    public IEntraDirectoryService Entra { get; }

    public IAwsIam Iam { get; }

    public IEnvironmentStore Environments { get; }

    public IResourceInventory InventoryStore { get; }

    /// <summary>The enterprise application as the inventory records it; null when it was never created.</summary>
    public AppAttributes? App { get; private set; }

    public ManagedResource? AppRecord { get; private set; }

    public EntraApplicationInfo? Application { get; private set; }

    public EntraServicePrincipalInfo? ServicePrincipal { get; private set; }

    public IReadOnlyList<EntraClaimsMappingPolicy>? ClaimsPolicies { get; private set; }

    public IReadOnlyList<EntraAppRoleAssignment>? Assignments { get; private set; }

    public IReadOnlyList<EntraAppRole> AppRoles => ServicePrincipal?.AppRoles ?? [];

    /// <summary>The provider ARN the desired state names.</summary>
    public string ProviderArn { get; }

    /// <summary>The IAM SAML provider; null when it does not exist (or could not be read).</summary>
    public IamSamlProvider? Provider { get; private set; }

    /// <summary>The provider's metadata as IAM holds it, parsed; null when missing or unreadable.</summary>
    public SamlMetadata? ProviderMetadata { get; private set; }

    /// <summary>Every role of the desired state and of the inventory, by name; a null value: the role does not exist in IAM.</summary>
    public IReadOnlyDictionary<string, IamRole?> Roles { get; private set; } = new Dictionary<string, IamRole?>();

    public IReadOnlyList<string> LoadProblems => loadProblems;

    /// <summary>True once the enterprise application has been created (the inventory has it).</summary>
    public bool HasApp => App is not null;

    public static async Task<DoctorContext> LoadAsync(
        FederationEnvironment environment,
        IReadOnlyList<ManagedResource> inventory,
        DoctorOptions options,
        DateTimeOffset now,
        IEntraDirectoryService entra,
        IAwsIam iam,
        IEnvironmentStore environments,
        IResourceInventory inventoryStore,
        CancellationToken cancellationToken)
    {
        var spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);
        var context = new DoctorContext(environment, spec, inventory, options, now, entra, iam, environments, inventoryStore);
        await context.LoadEntraAsync(cancellationToken);
        await context.LoadAwsAsync(cancellationToken);
        return context;
    }

    /// <summary>The inventory record of a type and key, if it has a cloud id.</summary>
    public ManagedResource? Find(string type, string key = ResourceTypes.SingletonKey)
        => Inventory.FirstOrDefault(r => r.Type == type && string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase) && r.CloudId.Length > 0);

    /// <summary>The role names the checks look at: the desired state's, then any the inventory still holds.</summary>
    public IEnumerable<string> RoleNames => Spec.Roles.Select(r => r.Name)
        .Concat(Inventory.Where(r => r.Type == ResourceTypes.Role).Select(r => r.Key))
        .Distinct(StringComparer.OrdinalIgnoreCase);

    private async Task LoadEntraAsync(CancellationToken cancellationToken)
    {
        AppRecord = Find(ResourceTypes.Application);
        if (AppRecord?.Attributes is null)
        {
            return;
        }

        App = JsonSerializer.Deserialize<AppAttributes>(AppRecord.Attributes, EnvironmentSpec.Json);
        if (App is null)
        {
            return;
        }

        await TryAsync("Entra application", async () => Application = await Entra.GetApplicationAsync(AppRecord.CloudId, cancellationToken));
        await TryAsync("Entra service principal", async () => ServicePrincipal = await Entra.GetServicePrincipalAsync(App.ServicePrincipalId, cancellationToken));
        if (ServicePrincipal is null)
        {
            return;
        }

        await TryAsync("claims mapping policies", async () => ClaimsPolicies = await Entra.ListClaimsMappingPoliciesAsync(App.ServicePrincipalId, cancellationToken));
        await TryAsync("app role assignments", async () => Assignments = await Entra.ListAppRoleAssignmentsAsync(App.ServicePrincipalId, cancellationToken));
    }

    private async Task LoadAwsAsync(CancellationToken cancellationToken)
    {
        await TryAsync("IAM SAML provider", async () =>
        {
            Provider = await Iam.GetSamlProviderAsync(ProviderArn, cancellationToken);
            if (Provider?.MetadataDocument is { } document)
            {
                ProviderMetadata = SamlMetadataParser.Parse(Encoding.UTF8.GetBytes(document)).Metadata;
            }
        });

        var roles = new Dictionary<string, IamRole?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in RoleNames)
        {
            await TryAsync($"IAM role {name}", async () => roles[name] = await Iam.GetRoleAsync(name, cancellationToken));
        }

        Roles = roles;
    }

    private async Task TryAsync(string what, Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (AwsServiceException ex)
        {
            loadProblems.Add($"Could not read the {what} from AWS: {CloudErrors.Explain(ex)}");
        }
        catch (EntraServiceException ex)
        {
            loadProblems.Add($"Could not read the {what} from Entra: {CloudErrors.Explain(ex)}");
        }
        catch (HttpRequestException ex)
        {
            loadProblems.Add($"Could not reach the cloud for the {what}: {ex.Message}");
        }
    }
}
