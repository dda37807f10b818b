using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Setup;

public sealed class SetupFlowTests : IAsyncLifetime
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

    [Fact]
    public async Task Whole_plan_applied_against_the_sandbox_yields_credentials_for_the_assigned_role()
    {
        var environment = await driver.CreateEnvironmentAsync("Contoso prod");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));

        var operation = await driver.ApplyAndWaitAsync(environment.Id);
        Assert.All(operation.Actions, a => Assert.Equal(ActionStatus.Succeeded, a.Status));

        var replan = await driver.PlanAsync(environment.Id);
        Assert.False(replan.HasChanges, string.Join(", ", replan.Actions.Where(a => a.Change != ChangeKind.NoChange).Select(a => a.Id)));

        var result = await driver.WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environment.Id, "diego.siciliani@contoso.example", "FP-ReadOnly"));
        Assert.True(result.Success, string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Passed} {s.Detail}")));
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/FP-ReadOnly/diego.siciliani@contoso.example", result.AssumedRoleArn);
        Assert.Equal(SetupDriver.AccountId, result.CallerAccount);
    }

    [Fact]
    public async Task Roles_reach_entra_through_the_provisioning_job_and_the_secret_key_is_never_kept()
    {
        var environment = await driver.CreateEnvironmentAsync("Contoso provisioned");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: true));

        var operation = await driver.ApplyAndWaitAsync(environment.Id);
        Assert.Contains("2 role(s) are app roles", operation.Actions.Single(a => a.ActionId == "entra.provisioning").Result);

        var inventory = await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id));
        var key = inventory.Single(r => r.Type == ResourceTypes.AccessKey);
        Assert.StartsWith("AKIA", key.CloudId);
        Assert.Null(key.Attributes);

        var result = await driver.WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environment.Id, "lee.gu@contoso.example", "FP-Administrator"));
        Assert.True(result.Success, string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Passed} {s.Detail}")));
        Assert.EndsWith("assumed-role/FP-Administrator/lee.gu@contoso.example", result.AssumedRoleArn);
    }

    [Fact]
    public async Task An_uploaded_metadata_file_is_what_the_iam_provider_gets()
    {
        var environment = await driver.CreateEnvironmentAsync("Contoso uploaded");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        await driver.ApplyAndWaitAsync(environment.Id, Stages.App);

        // The admin downloads the metadata from Entra (here: the sandbox) and uploads it, byte-order mark and all.
        var inventory = await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id));
        var appId = System.Text.Json.JsonSerializer.Deserialize<FederationPortal.Core.Federation.Handlers.AppAttributes>(
            inventory.Single(r => r.Type == ResourceTypes.Application).Attributes!, EnvironmentSpec.Json)!.AppId;
        var metadata = await driver.WithScopeAsync(sp => sp.GetRequiredService<IEntraDirectoryService>().GetFederationMetadataAsync(appId));
        var file = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(metadata.Xml)).ToArray();
        var check = MetadataUpload.Check(file, $"https://sts.windows.net/{SetupDriver.TenantId}/", DateTimeOffset.UtcNow);
        Assert.True(check.Accepted, string.Join(" ", check.Problems));
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false) with { UploadedMetadata = check.Xml });

        var operation = await driver.ApplyAndWaitAsync(environment.Id);
        Assert.Contains("uploaded", operation.Actions.Single(a => a.ActionId == "aws.saml-provider").Description);
        var provider = await driver.WithScopeAsync(sp => sp.GetRequiredService<IAwsIam>().GetSamlProviderAsync("arn:aws:iam::111122223333:saml-provider/EntraID-Contoso-uploaded"));
        Assert.Equal(check.Xml, provider!.MetadataDocument);
    }

    [Fact]
    public async Task Unassigned_user_is_refused_by_entra_with_AADSTS50105_and_the_test_says_how_to_fix_it()
    {
        var environment = await driver.CreateEnvironmentAsync("Contoso dev");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        await driver.ApplyAndWaitAsync(environment.Id);

        var result = await driver.WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environment.Id, "isaiah.langer@contoso.example", "FP-ReadOnly"));

        Assert.False(result.Success);
        var step = Assert.Single(result.Steps, s => !s.Passed);
        Assert.Contains("AADSTS50105", step.Detail);
        Assert.Contains("User assignment", step.Fix);
    }

    [Fact]
    public async Task Resources_are_tagged_for_the_environment_and_the_inventory_matches_the_clouds()
    {
        var environment = await driver.CreateEnvironmentAsync("Contoso tags");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        await driver.ApplyAndWaitAsync(environment.Id);

        await driver.WithScopeAsync<object?>(async sp =>
        {
            var iam = sp.GetRequiredService<IAwsIam>();
            var role = await iam.GetRoleAsync("FP-ReadOnly");
            Assert.NotNull(role);
            Assert.True(FederationNames.IsOurs(role.Tags, environment));
            Assert.Equal(7200, role.MaxSessionDuration);
            Assert.Contains("sts:AssumeRoleWithSAML", Uri.UnescapeDataString(role.AssumeRolePolicyDocument!));

            var inventory = await sp.GetRequiredService<SetupService>().GetInventoryAsync(environment.Id);
            var app = inventory.Single(r => r.Type == ResourceTypes.Application);
            var entra = sp.GetRequiredService<IEntraDirectoryService>();
            Assert.NotNull(await entra.GetApplicationAsync(app.CloudId));
            Assert.Equal(2, inventory.Count(r => r.Type == ResourceTypes.Assignment));
            return null;
        });
    }
}
