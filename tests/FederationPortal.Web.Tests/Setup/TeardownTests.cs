using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Setup;

public sealed class TeardownTests : IAsyncLifetime
{
    private readonly PortalHost host = new();
    private SetupDriver driver = null!;

    public ValueTask InitializeAsync()
    {
        driver = new SetupDriver(host);
        _ = host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private async Task<FederationEnvironment> SetUpAsync(string name)
    {
        var environment = await driver.CreateEnvironmentAsync(name);
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false) with
        {
            Provisioning = new ProvisioningSpec { Enabled = false },
        });
        await driver.ApplyAndWaitAsync(environment.Id);
        return environment;
    }

    private Task<Operation> TeardownAndWaitAsync(FederationEnvironment environment)
        => driver.WithScopeAsync(async sp =>
        {
            var operation = await sp.GetRequiredService<SetupService>().TeardownAsync(SetupDriver.Admin, environment.Id, environment.Name);
            return await driver.WaitAsync(operation.Id);
        });

    /// <summary>Everything in the sandbox that is tagged for the environment, or is its app: listed from the clouds, not the inventory.</summary>
    private Task<List<string>> LeftoversAsync(FederationEnvironment environment) => driver.WithScopeAsync(async sp =>
    {
        var iam = sp.GetRequiredService<IAwsIam>();
        var entra = sp.GetRequiredService<IEntraDirectoryService>();
        var left = new List<string>();
        foreach (var role in await iam.ListRolesAsync())
        {
            if (FederationNames.IsOurs((await iam.GetRoleAsync(role.RoleName))?.Tags, environment))
            {
                left.Add(role.Arn);
            }
        }

        foreach (var provider in await iam.ListSamlProvidersAsync())
        {
            if (FederationNames.IsOurs((await iam.GetSamlProviderAsync(provider.Arn))?.Tags, environment))
            {
                left.Add(provider.Arn);
            }
        }

        foreach (var user in await iam.ListUsersAsync())
        {
            if (FederationNames.IsOurs((await iam.GetUserAsync(user.UserName))?.Tags, environment))
            {
                left.Add(user.Arn);
            }
        }

        left.AddRange((await entra.FindApplicationsByDisplayNameAsync($"AWS {environment.Name}")).Select(a => $"app {a.Application.Id}"));
        left.AddRange((await entra.ListAllClaimsMappingPoliciesAsync()).Where(p => p.DisplayName == FederationNames.ClaimsPolicyName(environment)).Select(p => $"policy {p.Id}"));
        return left;
    });

    [Fact]
    public async Task Teardown_removes_every_resource_it_created_on_both_clouds()
    {
        var environment = await SetUpAsync("Contoso teardown");
        Assert.NotEmpty(await LeftoversAsync(environment));

        var operation = await TeardownAndWaitAsync(environment);

        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        Assert.Empty(await LeftoversAsync(environment));
        Assert.Empty(await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id)));
        Assert.Equal(EnvironmentStatus.Deleted, (await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetEnvironmentAsync(environment.Id))).Status);

        // Idempotent: a second teardown has nothing left to do.
        var again = await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().PlanTeardownAsync(environment.Id));
        Assert.Empty(again.Actions);
    }

    [Fact]
    public async Task A_role_that_changed_owner_is_left_alone_and_everything_else_is_deleted()
    {
        var environment = await SetUpAsync("Contoso shared");
        await driver.WithScopeAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IAwsIam>().TagRoleAsync("FP-Administrator", [new AwsTag(FederationNames.EnvironmentTagKey, "someone-else")]);
            return null;
        });

        var operation = await TeardownAndWaitAsync(environment);

        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        Assert.Contains("left alone", operation.Actions.Single(a => a.ActionId == "aws.role:FP-Administrator").Result);
        var remaining = await driver.WithScopeAsync(sp => sp.GetRequiredService<IAwsIam>().GetRoleAsync("FP-Administrator"));
        Assert.NotNull(remaining);
        Assert.Null(await driver.WithScopeAsync(sp => sp.GetRequiredService<IAwsIam>().GetRoleAsync("FP-ReadOnly")));
    }

    [Fact]
    public async Task Teardown_needs_the_exact_name_and_refuses_otherwise_without_touching_anything()
    {
        var environment = await SetUpAsync("Contoso confirm");
        await Assert.ThrowsAsync<FederationPortal.Core.Environments.PortalValidationException>(() => driver.WithScopeAsync(sp =>
            sp.GetRequiredService<SetupService>().TeardownAsync(SetupDriver.Admin, environment.Id, "contoso confirm")));
        Assert.NotEmpty(await LeftoversAsync(environment));
    }

    [Fact]
    public async Task Drift_is_detected_and_reconcile_restores_a_deleted_role_and_a_rewritten_trust_policy()
    {
        var environment = await SetUpAsync("Contoso drift");
        await driver.WithScopeAsync<object?>(async sp =>
        {
            var iam = sp.GetRequiredService<IAwsIam>();
            await iam.DetachRolePolicyAsync("FP-ReadOnly", "arn:aws:iam::aws:policy/ReadOnlyAccess");
            await iam.DeleteRoleAsync("FP-ReadOnly");
            await iam.UpdateAssumeRolePolicyAsync("FP-Administrator",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
            return null;
        });

        var drift = await driver.WithScopeAsync(sp => sp.GetRequiredService<DriftService>().DetectAsync(environment.Id));
        Assert.Equal(DriftState.Missing, drift.Single(d => d.Key == "FP-ReadOnly").State);
        Assert.Equal(DriftState.Changed, drift.Single(d => d.Key == "FP-Administrator").State);
        Assert.Contains("trust policy", drift.Single(d => d.Key == "FP-Administrator").Detail);

        var operation = await driver.WithScopeAsync(async sp => await driver.WaitAsync(
            (await sp.GetRequiredService<SetupService>().ReconcileAsync(SetupDriver.Admin, environment.Id, drift)).Id));
        Assert.Equal(OperationStatus.Succeeded, operation.Status);

        var after = await driver.WithScopeAsync(sp => sp.GetRequiredService<DriftService>().DetectAsync(environment.Id));
        Assert.All(after, d => Assert.Equal(DriftState.InSync, d.State));
        var result = await driver.WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environment.Id, "diego.siciliani@contoso.example", "FP-ReadOnly"));
        Assert.True(result.Success, string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Detail}")));
    }

    [Fact]
    public async Task Orphan_scan_finds_tagged_resources_of_no_live_environment_and_only_those()
    {
        var environment = await SetUpAsync("Contoso orphans");
        var ghost = Guid.NewGuid().ToString();
        await driver.WithScopeAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IAwsIam>().CreateRoleAsync(new CreateRoleRequest("Leftover-Role", FederationNames.TrustPolicy("arn:aws:iam::111122223333:saml-provider/EntraID-Contoso-orphans"))
            {
                Tags = [new AwsTag(FederationNames.ManagedByTagKey, FederationNames.ManagedByTagValue), new AwsTag(FederationNames.EnvironmentTagKey, ghost)],
            });
            return null;
        });

        var orphans = await driver.WithScopeAsync(sp => sp.GetRequiredService<OrphanScanner>().ScanAsync());

        var orphan = Assert.Single(orphans);
        Assert.Equal("Leftover-Role", orphan.Name);
        Assert.Equal(ghost, orphan.EnvironmentTag);
        Assert.DoesNotContain(orphans, o => o.EnvironmentTag == environment.Id.ToString());
    }
}
