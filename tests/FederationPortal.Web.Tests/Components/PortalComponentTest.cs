using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace FederationPortal.Web.Tests.Components;

/// <summary>bUnit base: MudBlazor services, loose JS interop, the real Core services over in-memory ports.</summary>
public abstract class PortalComponentTest : BunitContext
{
    protected PortalComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IEnvironmentStore>(Store);
        Services.AddSingleton<IAuditTrail>(Audit);
        Services.AddSingleton<IAuditDigestStore>(new InMemoryAuditDigestStore());
        Services.AddSingleton<FederationPortal.Core.Security.ISecretProtector>(new Base64TestProtector());
        Services.AddSingleton<AuditDigestService>();
        Services.AddSingleton<EnvironmentService>();
        Services.AddSingleton<IOptions<PortalOptions>>(Options.Create(new PortalOptions { Mode = PortalMode.Sandbox }));
        Services.AddSingleton<IPortalModeInfo>(new LivePortalModeInfo());
        Services.AddScoped<CurrentActor>();
        Services.AddSingleton<IResourceInventory>(Inventory);
        Services.AddSingleton<IOperationStore>(Operations);
        Services.AddSingleton<OperationQueue>();
        Services.AddSingleton<OperationNotifier>();
        Services.AddSingleton<FederationPlanner>();
        Services.AddSingleton<SetupService>();
        Services.AddSingleton<SetupWizardService>();

        // Cloud ports answer nothing unless a test says otherwise (a test's own registration wins).
        Services.AddSingleton(PortStub<FederationPortal.Core.Entra.IEntraDirectoryService>.Create([]));
        Services.AddSingleton(PortStub<FederationPortal.Core.Aws.IAwsIam>.Create([]));
        Services.AddSingleton(PortStub<FederationPortal.Core.Aws.IAwsSts>.Create([]));
        Services.AddSingleton<FederationPortal.Core.Rotation.CertificateRotationService>();
        Authorization = AddAuthorization();
    }

    protected InMemoryEnvironmentStore Store { get; } = new();

    protected InMemoryAuditTrail Audit { get; } = new();

    internal FederationPortal.Core.Tests.Lifecycle.InMemoryInventory Inventory { get; } = new();

    internal FederationPortal.Core.Tests.Lifecycle.InMemoryOperationStore Operations { get; } = new();

    protected BunitAuthorizationContext Authorization { get; }

    protected void SignInAs(string id, string name, params string[] roles)
    {
        Authorization.SetAuthorized(name);
        Authorization.SetClaims(new Claim(PortalClaims.ObjectId, id), new Claim("name", name));
        Authorization.SetRoles(roles);

        // bUnit does not evaluate policies: state which ones this person satisfies, as the real policies would.
        var policies = new List<string>();
        if (roles.Contains(PortalRoles.Admin) || roles.Contains(PortalRoles.Reader))
        {
            policies.Add(PortalPolicies.CanRead);
        }

        if (roles.Contains(PortalRoles.Admin))
        {
            policies.Add(PortalPolicies.CanWrite);
        }

        Authorization.SetPolicies([.. policies]);
    }

    protected void SignInAsAdmin() => SignInAs("admin-1", "Adele Vance", PortalRoles.Admin);

    protected void SignInAsReader() => SignInAs("reader-1", "Megan Bowen", PortalRoles.Reader);
}
