using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Federation;

public enum DriftState
{
    /// <summary>The cloud holds what the portal recorded.</summary>
    InSync,

    /// <summary>Deleted outside the portal.</summary>
    Missing,

    /// <summary>Changed outside the portal (trust policy, policies, tags, metadata…).</summary>
    Changed,

    /// <summary>Only an intent was recorded (an apply stopped halfway): apply again to finish it.</summary>
    Pending,
}

/// <summary>One managed resource: what the portal recorded next to what the cloud holds now.</summary>
/// <param name="LiveId">When the cloud now holds another id for it (e.g. the active certificate's thumbprint).</param>
public sealed record DriftItem(string Type, string Key, string CloudId, DriftState State, string Detail, string? LiveId = null)
{
    public string Id => $"{Type}:{Key}";
}

/// <summary>Compares the inventory with the live clouds, resource by resource.</summary>
public sealed class DriftService(IResourceInventory inventory, IEnvironmentStore environments, IAwsIam iam, IEntraDirectoryService entra)
{
    public async Task<IReadOnlyList<DriftItem>> DetectAsync(Guid environmentId, CancellationToken cancellationToken = default)
    {
        var environment = await environments.FindAsync(environmentId, cancellationToken) ?? throw new PortalNotFoundException($"There is no environment {environmentId}.");
        var spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);
        var records = await inventory.ListAsync(environmentId, cancellationToken);
        var app = AppAttributes.Of(records);
        EntraServicePrincipalInfo? sp = app is null ? null : await entra.GetServicePrincipalAsync(app.ServicePrincipalId, cancellationToken);
        IReadOnlyList<EntraAppRoleAssignment>? assignments = sp is null ? null : await entra.ListAppRoleAssignmentsAsync(sp.Id, cancellationToken);

        var items = new List<DriftItem>();
        foreach (var record in records)
        {
            if (record.CloudId.Length == 0)
            {
                items.Add(new(record.Type, record.Key, record.CloudId, DriftState.Pending, "An apply stopped before this was confirmed: apply again to finish or adopt it."));
                continue;
            }

            items.Add(record.Type switch
            {
                ResourceTypes.Application => await CheckAppAsync(record, cancellationToken),
                ResourceTypes.SamlSettings => sp is null ? Missing(record, "The service principal is gone.")
                    : sp.PreferredSingleSignOnMode != "saml" ? Changed(record, $"Single sign-on mode is '{sp.PreferredSingleSignOnMode ?? "none"}', not SAML.") : InSync(record),
                ResourceTypes.SigningCertificate => sp is null ? Missing(record, "The service principal is gone.")
                    : !string.Equals(sp.PreferredTokenSigningKeyThumbprint, record.CloudId, StringComparison.OrdinalIgnoreCase)
                        ? Changed(record, $"The active signing certificate is now {sp.PreferredTokenSigningKeyThumbprint ?? "none"}; the IAM provider may hold the old one.") with { LiveId = sp.PreferredTokenSigningKeyThumbprint }
                        : InSync(record),
                ResourceTypes.ClaimsPolicy => sp is null ? Missing(record, "The service principal is gone.")
                    : (await entra.ListClaimsMappingPoliciesAsync(sp.Id, cancellationToken)).Any(p => p.Id == record.CloudId) ? InSync(record)
                    : Changed(record, "The claims mapping policy is no longer assigned to the app: AWS would get no Role claim."),
                ResourceTypes.SamlProvider => await CheckProviderAsync(environment, record, cancellationToken),
                ResourceTypes.Role => await CheckRoleAsync(environment, spec, record, cancellationToken),
                ResourceTypes.User => await iam.GetUserAsync(record.Key, cancellationToken) is { } user
                    ? FederationNames.IsOurs(user.Tags, environment) ? InSync(record) : Changed(record, "Its FederationPortal tags were removed or changed.")
                    : Missing(record, "The IAM user was deleted outside the portal."),
                ResourceTypes.AccessKey => (await SafeAsync(() => iam.ListAccessKeysAsync(record.Key, cancellationToken)))?.Any(k => k.AccessKeyId == record.CloudId) == true
                    ? InSync(record) : Missing(record, "The access key Entra uses was deleted or replaced: provisioning will fail."),
                ResourceTypes.SyncJob => sp is null ? Missing(record, "The service principal is gone.")
                    : await entra.GetSynchronizationJobAsync(sp.Id, record.CloudId, cancellationToken) is null ? Missing(record, "The provisioning job was deleted.") : InSync(record),
                ResourceTypes.Assignment => assignments is null ? Missing(record, "The service principal is gone.")
                    : assignments.Any(a => a.Id == record.CloudId) ? InSync(record) : Missing(record, "The assignment was removed in Entra."),
                _ => InSync(record),
            });
        }

        return items;
    }

    private async Task<DriftItem> CheckAppAsync(ManagedResource record, CancellationToken cancellationToken)
        => await entra.GetApplicationAsync(record.CloudId, cancellationToken) is null
            ? Missing(record, "The enterprise application was deleted in Entra.")
            : InSync(record);

    private async Task<DriftItem> CheckProviderAsync(FederationEnvironment environment, ManagedResource record, CancellationToken cancellationToken)
    {
        var provider = await iam.GetSamlProviderAsync(record.CloudId, cancellationToken);
        if (provider is null)
        {
            return Missing(record, "The IAM SAML provider was deleted outside the portal.");
        }

        return FederationNames.IsOurs(provider.Tags, environment) ? InSync(record) : Changed(record, "Its FederationPortal tags were removed or changed.");
    }

    private async Task<DriftItem> CheckRoleAsync(FederationEnvironment environment, EnvironmentSpec spec, ManagedResource record, CancellationToken cancellationToken)
    {
        var role = await iam.GetRoleAsync(record.Key, cancellationToken);
        if (role is null)
        {
            return Missing(record, "The IAM role was deleted outside the portal.");
        }

        if (!FederationNames.IsOurs(role.Tags, environment))
        {
            return Changed(record, "Its FederationPortal tags were removed or changed.");
        }

        var problems = new List<string>();
        var expected = JsonNode.Parse(FederationNames.TrustPolicy(FederationNames.ProviderArn(environment, spec)));
        var actual = role.AssumeRolePolicyDocument is null ? null : JsonNode.Parse(Uri.UnescapeDataString(role.AssumeRolePolicyDocument));
        if (!JsonNode.DeepEquals(expected, actual))
        {
            problems.Add("the trust policy differs from the one the portal set");
        }

        var recorded = record.Attributes is null ? null : JsonSerializer.Deserialize<FederationPlanner.RoleAttributes>(record.Attributes, EnvironmentSpec.Json);
        if (recorded is not null)
        {
            var attached = (await iam.ListAttachedRolePoliciesAsync(record.Key, cancellationToken)).Select(p => p.PolicyArn).ToHashSet();
            if (!attached.SetEquals(recorded.Policies))
            {
                problems.Add($"attached policies are {string.Join(", ", attached.Select(a => a[(a.LastIndexOf('/') + 1)..]).DefaultIfEmpty("none"))}");
            }

            if (role.MaxSessionDuration != recorded.MaxSessionDurationSeconds)
            {
                problems.Add($"max session is {role.MaxSessionDuration} s, not {recorded.MaxSessionDurationSeconds} s");
            }
        }

        return problems.Count == 0 ? InSync(record) : Changed(record, char.ToUpperInvariant(problems[0][0]) + string.Join("; ", problems)[1..] + ".");
    }

    private static async Task<T?> SafeAsync<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (AwsServiceException ex) when (ex.Code == "NoSuchEntity")
        {
            return null;
        }
    }

    private static DriftItem InSync(ManagedResource r) => new(r.Type, r.Key, r.CloudId, DriftState.InSync, "As the portal left it.");

    private static DriftItem Missing(ManagedResource r, string detail) => new(r.Type, r.Key, r.CloudId, DriftState.Missing, detail);

    private static DriftItem Changed(ManagedResource r, string detail) => new(r.Type, r.Key, r.CloudId, DriftState.Changed, detail);
}
