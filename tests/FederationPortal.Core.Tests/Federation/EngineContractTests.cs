using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Tests.Doctor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Core.Tests.Federation;

/// <summary>The contract between the planner, the handlers and the runner: shared kinds, checked at start.</summary>
public sealed class EngineContractTests
{
    private static readonly FederationEnvironment Environment = new() { Id = Guid.NewGuid(), Name = "Contoso", EntraTenantId = "t", AwsAccountId = "111122223333" };

    private static readonly EnvironmentSpec Spec = new()
    {
        Roles = [new RoleSpec { Name = "Administrator", Template = RoleTemplate.Administrator }],
        Assignments = [new AssignmentSpec { PrincipalId = "user-1", PrincipalName = "adele@contoso.test", RoleName = "Administrator" }],
    };

    private static ServiceCollection FederationServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddSingleton(Answering<IEntraDirectoryService>.Create(_ => null));
        services.AddSingleton(Answering<IAwsIam>.Create(_ => null));
        services.AddFederation();
        services.AddHostedService<ActionHandlerCheck>();
        return services;
    }

    private static async Task StartAsync(IServiceCollection services)
    {
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Every_kind_the_planner_can_plan_has_a_registered_handler()
    {
        await StartAsync(FederationServices());
    }

    [Fact]
    public async Task The_engine_refuses_to_start_naming_a_planned_kind_without_a_handler()
    {
        var services = FederationServices();
        services.Remove(services.Single(d => d.ImplementationType == typeof(EntraSamlSettingsHandler)));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(services));

        Assert.Contains($"'{ActionKinds.SamlSettings}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FederationPlanner), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_handlers_for_one_kind_are_refused_as_well()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            ActionHandlerCheck.Verify([new PlannedActionKinds("planner", ["a"])], ["a", "a"]));

        Assert.Contains("'a'", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_action_the_planner_plans_is_of_a_kind_it_declares(bool provisioning)
    {
        var planner = new FederationPlanner(new FakeTimeProvider());
        var spec = Spec with { Provisioning = new ProvisioningSpec { Enabled = provisioning } };
        var built = new ManagedResource { EnvironmentId = Environment.Id, Type = ResourceTypes.Application, Key = ResourceTypes.SingletonKey, CloudId = "app" };

        var apply = planner.PlanApply(Environment, spec, []);
        var teardown = planner.PlanTeardown(Environment, spec, [built, new ManagedResource { EnvironmentId = Environment.Id, Type = ResourceTypes.Role, Key = "Administrator", CloudId = "arn" }]);

        Assert.All(apply.Actions.Concat(teardown.Actions), a => Assert.Contains(a.Kind, ActionKinds.All));
        Assert.All(teardown.Actions, a => Assert.Equal(Stages.Teardown, a.Stage));
    }

    [Fact]
    public void The_plan_says_which_applies_complete_the_setup()
    {
        var planner = new FederationPlanner(new FakeTimeProvider());
        var apply = planner.PlanApply(Environment, Spec, []);
        var teardown = planner.PlanTeardown(Environment, Spec, []);

        Assert.True(apply.CompletesSetup(null));
        Assert.True(apply.CompletesSetup(Stages.Assignments));
        Assert.All(Stages.Ordered.Where(s => s != Stages.Assignments), stage => Assert.False(apply.CompletesSetup(stage)));
        Assert.False(teardown.CompletesSetup(null));
    }
}
