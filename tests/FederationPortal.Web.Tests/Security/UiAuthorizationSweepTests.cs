using System.Reflection;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Security;

/// <summary>
/// The pages act through the Core services with the circuit's <see cref="PortalActor"/>; hiding a button from a reader
/// is convenience, the service is the guard. This sweep finds every public Core method that takes an actor, calls each
/// as a Reader and as Anonymous, and expects a refusal that is audited — so a new mutating action cannot ship unguarded.
/// </summary>
public sealed class UiAuthorizationSweepTests
{
    /// <summary>Actions readers may take, and why: none changes either cloud or the portal's configuration.</summary>
    private static readonly Dictionary<string, string> ReaderActions = new(StringComparer.Ordinal)
    {
        ["SignInTestService.SignInAsync"] = "a sign-in test only asks for temporary credentials",
        ["SignInTestService.CheckPastedResponseAsync"] = "checking a pasted SAML response changes nothing",
        ["ReviewService.AttestAsync"] = "any portal user may attest an access review",
        ["PreferencesService.GetDarkModeAsync"] = "reading one's own theme",
        ["PreferencesService.SetDarkModeAsync"] = "a theme is the user's own; PreferencesServiceTests cover the anonymous refusal",
    };

    private static readonly PortalActor Reader = new("reader-sweep", "Megan Bowen", [PortalRoles.Reader]);

    [Fact]
    public async Task Every_actor_taking_core_action_refuses_readers_and_anonymous_and_audits_the_refusal()
    {
        await using var host = new PortalHost();
        var driver = new SetupDriver(host);
        _ = host.BaseAddress;
        var environment = await driver.CreateEnvironmentAsync("Contoso UI sweep");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        var operation = await driver.ApplyAsync(environment.Id, "app");
        await driver.WaitAsync(operation.Id);
        var token = await driver.WithScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(SetupDriver.Admin, "sweep", PortalRoles.Admin, 1));
        var specBefore = (await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetEnvironmentAsync(environment.Id))).DesiredStateJson;
        var inventoryBefore = (await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id))).Count;

        var actions = typeof(SetupService).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) && m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(PortalActor))
            .Where(m => !ReaderActions.ContainsKey($"{m.DeclaringType!.Name}.{m.Name}"))
            .ToList();
        Assert.True(actions.Count >= 15, $"expected the portal's mutating actions, found {actions.Count}");

        var arguments = new Dictionary<(Type, string), object?>
        {
            [(typeof(Guid), "environmentId")] = environment.Id,
            [(typeof(Guid), "operationId")] = operation.Id,
            [(typeof(Guid), "id")] = token.Token.Id,
            [(typeof(string), "confirmName")] = environment.Name,
            [(typeof(string), "stage")] = null,
            [(typeof(string), "name")] = StoredSecretService.EntraClientSecret,
            [(typeof(string), "role")] = PortalRoles.Admin,
            [(typeof(string), "fixId")] = "provider-metadata",
            [(typeof(string), "value")] = token.Value,
            [(typeof(string), "target")] = null,
            [(typeof(int?), "validDays")] = 1,
            [(typeof(EnvironmentSpec), "spec")] = SetupDriver.StandardSpec(provisioning: true),
            [(typeof(EnvironmentDraft), "draft")] = new EnvironmentDraft("Reader-made", SetupDriver.TenantId, SetupDriver.AccountId),
            [(typeof(IReadOnlyList<DriftItem>), "drift")] = Array.Empty<DriftItem>(),
            [(typeof(IReadOnlyDictionary<string, string?>), "values")] = new Dictionary<string, string?> { [StoredSecretService.EntraClientSecret] = "Zq8~ReaderMayNotStoreThis.0123456789" },
            [(typeof(CancellationToken), "cancellationToken")] = TestContext.Current.CancellationToken,
        };

        var audit = host.Services.GetRequiredService<IAuditTrail>();
        foreach (var actor in new[] { Reader, PortalActor.Anonymous })
        {
            foreach (var method in actions)
            {
                var name = $"{method.DeclaringType!.Name}.{method.Name}";
                var args = method.GetParameters().Skip(1).Select(p => arguments.TryGetValue((p.ParameterType, p.Name!), out var value)
                    ? value
                    : throw new Xunit.Sdk.XunitException($"{name} takes {p.ParameterType.Name} {p.Name}: add an argument for it to this sweep.")).Prepend(actor).ToArray();
                var deniedBefore = (await audit.QueryAsync(new AuditQuery { ActorId = actor.Id, Outcome = AuditOutcome.Denied }, TestContext.Current.CancellationToken)).TotalCount;

                await using var scope = host.Services.CreateAsyncScope();
                var service = scope.ServiceProvider.GetRequiredService(method.DeclaringType!);
                var refusal = await Assert.ThrowsAsync<PortalAuthorizationException>(async () => await (Task)method.Invoke(service, args)!);
                Assert.Same(actor, refusal.Actor);

                var denied = await audit.QueryAsync(new AuditQuery { ActorId = actor.Id, Outcome = AuditOutcome.Denied }, TestContext.Current.CancellationToken);
                Assert.True(denied.TotalCount == deniedBefore + 1, $"{name} as {actor.DisplayName}: expected one Denied audit event, found {denied.TotalCount - deniedBefore}");
                Assert.Equal(refusal.Action, denied.Items[0].Action);
            }
        }

        // Nothing changed: same spec, same inventory, the token still active, no second environment, no stored secret.
        Assert.Equal(specBefore, (await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetEnvironmentAsync(environment.Id))).DesiredStateJson);
        Assert.Equal(inventoryBefore, (await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id))).Count);
        Assert.Null((await driver.WithScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().ListAsync())).Single(t => t.Id == token.Token.Id).RevokedAt);
        Assert.Single(await driver.WithScopeAsync(sp => sp.GetRequiredService<EnvironmentService>().ListAsync()));
        Assert.All(await driver.WithScopeAsync(sp => sp.GetRequiredService<StoredSecretService>().ListAsync()), s => Assert.False(s.IsStored));
    }
}
