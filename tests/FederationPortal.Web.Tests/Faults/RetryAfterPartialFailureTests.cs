using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// An action that stops between two of its cloud calls (the retries of one exhausted) leaves the environment such
/// that the admin's Retry finishes the job: nothing is taken as done that is not, nothing is made twice.
/// </summary>
public sealed class RetryAfterPartialFailureTests : IAsyncLifetime
{
    private FlakyHandle<IEntraDirectoryService> flaky = null!;
    private FlakyHandle<IAwsIam> flakyIam = null!;
    private PortalHost host = null!;
    private SetupDriver driver = null!;

    public ValueTask InitializeAsync()
    {
        host = new PortalHost(new Dictionary<string, string?> { ["Sandbox:InstantiateDelayMilliseconds"] = "0" }, configureServices: services =>
        {
            flaky = Unavailable.Entra(services);
            flakyIam = Unavailable.Iam(services);
            services.AddSingleton(new ProvisioningOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        });
        driver = new SetupDriver(host);
        _ = host.BaseAddress;
        _ = host.Services.GetRequiredService<IEntraDirectoryService>();
        _ = host.Services.GetRequiredService<IAwsIam>();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static EnvironmentSpec Spec(string prefix) => new()
    {
        Roles = [new RoleSpec { Name = $"{prefix}-ReadOnly", Template = RoleTemplate.ReadOnly }],
        Provisioning = new ProvisioningSpec { Enabled = true },
        Assignments = [new AssignmentSpec { PrincipalId = SetupDriver.DiegoId, PrincipalType = PrincipalKind.User, PrincipalName = "diego.siciliani@contoso.example", RoleName = $"{prefix}-ReadOnly" }],
    };

    /// <summary>Applies once with the failure armed (it must fail at that call), then retries: the retry must succeed with the clouds exactly as specified.</summary>
    private async Task FailOnceThenRetryAsync(string environmentName, string prefix, string failingCall, string failingAction)
    {
        var environment = await driver.CreateEnvironmentAsync(environmentName);
        var spec = Spec(prefix);
        await driver.SaveSpecAsync(environment.Id, spec);
        flaky.FailNext(failingCall);

        var first = await driver.WaitAsync((await driver.ApplyAsync(environment.Id)).Id);
        Assert.Equal(OperationStatus.Failed, first.Status);
        Assert.Equal(1, flaky.FailedCalls(failingCall));
        Assert.Equal(ActionStatus.Failed, first.Actions.Single(a => a.ActionId == failingAction).Status);

        var plan = await driver.PlanAsync(environment.Id);
        Assert.NotEqual(ChangeKind.NoChange, plan.Actions.Single(a => a.Id == failingAction).Change);
        await driver.ApplyAndWaitAsync(environment.Id);

        await using var scope = host.Services.CreateAsyncScope();
        var problems = await new CloudCensus(scope.ServiceProvider).SetUpProblemsAsync(environment, spec);
        Assert.True(problems.Count == 0, string.Join("; ", problems));
        var result = await scope.ServiceProvider.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environment.Id, "diego.siciliani@contoso.example", $"{prefix}-ReadOnly", TestContext.Current.CancellationToken);
        Assert.True(result.Success, string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Detail}")));
    }

    [Fact]
    public async Task A_claims_policy_created_but_not_yet_assigned_is_assigned_by_the_retry_not_created_again()
        => await FailOnceThenRetryAsync("Partial claims", "PartialClaims", nameof(IEntraDirectoryService.AssignClaimsMappingPolicyAsync), "entra.claims");

    [Fact]
    public async Task A_provisioning_run_that_failed_after_its_job_was_made_runs_again_on_retry()
        => await FailOnceThenRetryAsync("Partial import", "PartialImport", nameof(IEntraDirectoryService.StartSynchronizationJobAsync), "entra.provisioning");

    [Fact]
    public async Task An_access_key_whose_hand_over_failed_is_replaced_on_retry_and_the_import_runs_with_it()
        => await FailOnceThenRetryAsync("Partial handover", "PartialHandover", nameof(IEntraDirectoryService.SaveSynchronizationSecretsAsync), "entra.provisioning");

    /// <summary>
    /// An admin who gives up on a failed setup tears it down: a role and a user that were created before their action
    /// failed (a policy could not be attached or put) must go too, not stay behind as orphans.
    /// </summary>
    [Fact]
    public async Task Teardown_after_a_failed_apply_deletes_the_role_and_user_created_before_their_actions_failed()
    {
        var environment = await driver.CreateEnvironmentAsync("Partial teardown");
        var spec = Spec("PartialTeardown");
        await driver.SaveSpecAsync(environment.Id, spec);
        flakyIam.FailNext(nameof(IAwsIam.AttachRolePolicyAsync));
        flakyIam.FailNext(nameof(IAwsIam.PutUserPolicyAsync));

        var apply = await driver.WaitAsync((await driver.ApplyAsync(environment.Id)).Id);
        Assert.Equal(OperationStatus.Failed, apply.Status);
        Assert.Equal(ActionStatus.Failed, apply.Actions.Single(a => a.ActionId == "aws.role:PartialTeardown-ReadOnly").Status);
        Assert.Equal(ActionStatus.Failed, apply.Actions.Single(a => a.ActionId == "aws.provisioning-user").Status);
        Assert.NotNull(await host.Services.GetRequiredService<IAwsIam>().GetRoleAsync("PartialTeardown-ReadOnly", TestContext.Current.CancellationToken));

        var teardown = await driver.WaitAsync((await driver.WithScopeAsync(sp =>
            sp.GetRequiredService<SetupService>().TeardownAsync(SetupDriver.Admin, environment.Id, environment.Name))).Id);

        Assert.Equal(OperationStatus.Succeeded, teardown.Status);
        await using var scope = host.Services.CreateAsyncScope();
        var left = await new CloudCensus(scope.ServiceProvider).LeftoversAsync(environment, spec);
        Assert.True(left.Count == 0, string.Join("; ", left));
    }
}
