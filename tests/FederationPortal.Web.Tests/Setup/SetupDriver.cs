using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Setup;

/// <summary>Drives the setup services of a running portal as the wizard does, and waits for operations with a deadline.</summary>
internal sealed class SetupDriver(PortalHost host)
{
    public static readonly PortalActor Admin = new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f01", "Adele Vance", [PortalRoles.Admin]);
    public const string TenantId = "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63";
    public const string AccountId = "111122223333";
    public const string DiegoId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04";
    public const string AwsAdminsGroupId = "7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c01";

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<FederationEnvironment> CreateEnvironmentAsync(string name)
        => WithScopeAsync(sp => sp.GetRequiredService<EnvironmentService>().CreateAsync(Admin, new EnvironmentDraft(name, TenantId, AccountId)));

    public static EnvironmentSpec StandardSpec(bool provisioning = true) => new()
    {
        Roles =
        [
            new RoleSpec { Name = "FP-Administrator", Template = RoleTemplate.Administrator },
            new RoleSpec { Name = "FP-ReadOnly", Template = RoleTemplate.ReadOnly, MaxSessionDurationSeconds = 7200 },
        ],
        Provisioning = new ProvisioningSpec { Enabled = provisioning },
        Assignments =
        [
            new AssignmentSpec { PrincipalId = DiegoId, PrincipalType = PrincipalKind.User, PrincipalName = "diego.siciliani@contoso.example", RoleName = "FP-ReadOnly" },
            new AssignmentSpec { PrincipalId = AwsAdminsGroupId, PrincipalType = PrincipalKind.Group, PrincipalName = "AWS Administrators", RoleName = "FP-Administrator" },
        ],
    };

    public Task SaveSpecAsync(Guid environmentId, EnvironmentSpec spec)
        => WithScopeAsync(async sp => await sp.GetRequiredService<SetupService>().SaveSpecAsync(Admin, environmentId, spec));

    public Task<Operation> ApplyAsync(Guid environmentId, string? stage = null)
        => WithScopeAsync(sp => sp.GetRequiredService<SetupService>().ApplyAsync(Admin, environmentId, stage));

    public Task<Plan> PlanAsync(Guid environmentId)
        => WithScopeAsync(sp => sp.GetRequiredService<SetupService>().PlanAsync(environmentId));

    public async Task<Operation> WaitAsync(Guid operationId, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var operation = await WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetOperationAsync(operationId));
            if (operation is { Status: OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled })
            {
                return operation;
            }

            await Task.Delay(50, deadline.Token); // polls the operation's state until it ends or the deadline passes
        }
    }

    public async Task<Operation> ApplyAndWaitAsync(Guid environmentId, string? stage = null)
    {
        var operation = await WaitAsync((await ApplyAsync(environmentId, stage)).Id);
        if (operation.Status != OperationStatus.Succeeded)
        {
            throw new Xunit.Sdk.XunitException($"Operation {stage ?? "apply"} ended {operation.Status}: {operation.Error}\n" +
                string.Join("\n", operation.Actions.Select(a => $"  {a.ActionId}: {a.Status} {a.Error}")) + "\n" + host.Logs);
        }

        return operation;
    }
}
