using FederationPortal.Core.Doctor;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Doctor;

/// <summary>One portal for the doctor's tests, with one healthy, fully set-up sandbox environment that no test breaks.</summary>
public sealed class DoctorFixture : IAsyncLifetime
{
    private int counter;

    public PortalHost Host { get; } = new();

    internal SetupDriver Driver { get; private set; } = null!;

    public FederationEnvironment Healthy { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Driver = new SetupDriver(Host);
        _ = Host.BaseAddress;
        Healthy = await SetUpAsync("Doctor healthy", "Healthy", provisioning: true);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>Roles are account-wide in IAM: each environment gets role names of its own.</summary>
    public static EnvironmentSpec Spec(string prefix, bool provisioning = false) => new()
    {
        Roles =
        [
            new RoleSpec { Name = $"{prefix}-Admin", Template = RoleTemplate.Administrator },
            new RoleSpec { Name = $"{prefix}-ReadOnly", Template = RoleTemplate.ReadOnly },
        ],
        Provisioning = new ProvisioningSpec { Enabled = provisioning },
        Assignments =
        [
            new AssignmentSpec { PrincipalId = SetupDriver.DiegoId, PrincipalType = PrincipalKind.User, PrincipalName = "diego.siciliani@contoso.example", RoleName = $"{prefix}-ReadOnly" },
            new AssignmentSpec { PrincipalId = SetupDriver.AwsAdminsGroupId, PrincipalType = PrincipalKind.Group, PrincipalName = "AWS Administrators", RoleName = $"{prefix}-Admin" },
        ],
    };

    /// <summary>
    /// A new environment, fully applied against the sandbox. Provisioning is off unless asked for (the roles are then written as
    /// app roles directly), which keeps the cases quick.
    /// </summary>
    public async Task<FederationEnvironment> SetUpAsync(string? name = null, string? prefix = null, bool provisioning = false)
    {
        var n = Interlocked.Increment(ref counter);
        var environment = await Driver.CreateEnvironmentAsync(name ?? $"Doctor case {n}");
        await Driver.SaveSpecAsync(environment.Id, Spec(prefix ?? $"Dr{n}", provisioning));
        await Driver.ApplyAndWaitAsync(environment.Id);
        return environment;
    }

    public Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> work) => Driver.WithScopeAsync(work);

    public Task<DoctorCheckResult> CheckAsync(Guid environmentId, string checkId)
        => WithAsync(sp => sp.GetRequiredService<DoctorService>().RunCheckAsync(environmentId, checkId));

    public Task<DoctorFixResult> FixAsync(Guid environmentId, DoctorFinding finding)
        => WithAsync(sp => sp.GetRequiredService<DoctorService>().FixAsync(SetupDriver.Admin, environmentId, finding.FixId!, finding.FixTarget));

    public Task<SignInTestResult> SignInAsync(Guid environmentId, string roleName, string user = "diego.siciliani@contoso.example")
        => WithAsync(sp => sp.GetRequiredService<SignInTestService>().SignInAsync(SetupDriver.Admin, environmentId, user, roleName));
}
