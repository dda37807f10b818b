using FederationPortal.Core.Aws;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>The doctor in the browser: a broken trust policy found, explained, fixed with one click, and all green after.</summary>
public sealed class DoctorTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private static readonly PortalActor Adele = SetupAdmin;
    private const string Role = "E2E-Doctor-ReadOnly";

    [Fact]
    public async Task Admin_runs_the_doctor_sees_a_wrong_trusted_entity_explained_fixes_it_and_everything_is_green()
    {
        var page = await NewPageAsync();
        var environment = await GetOrSetUpEnvironmentAsync();

        // Someone "fixes" the role by hand in the AWS console: it now trusts an AWS account instead of the SAML provider.
        await WithScopeAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IAwsIam>().UpdateAssumeRolePolicyAsync(Role,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}");
            return null;
        });

        await SignInAsync(page, Admin);
        await GotoAsync(page, $"/environments/{environment.Id}/doctor", "doctor-opened");
        await page.GetByTestId("run-doctor").ClickAsync();

        var broken = page.Locator("[data-testid='doctor-finding'][data-check='trust-policy'][data-status='Failed']");
        await Expect(broken).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(broken).ToContainTextAsync($"Role {Role}");
        await Expect(broken.GetByTestId("doctor-explanation")).ToContainTextAsync("No statement allows sts:AssumeRoleWithSAML");
        await Expect(broken.GetByTestId("doctor-explanation")).ToContainTextAsync("arn:aws:iam::111122223333:root");
        await Expect(broken.GetByTestId("doctor-fix-words")).ToContainTextAsync("Replace the trust policy");
        await Expect(page.GetByTestId("doctor-summary")).ToHaveAttributeAsync("data-failed", "1");
        await ScreenshotAsync(page, "trust-policy-failure-explained");

        await broken.GetByTestId("doctor-fix").ClickAsync();
        await Expect(broken.GetByTestId("doctor-fix-result")).ToContainTextAsync($"Role {Role} trusts");
        await ScreenshotAsync(page, "fixed");

        await page.GetByTestId("run-doctor").ClickAsync();
        await Expect(page.GetByTestId("doctor-summary")).ToHaveAttributeAsync("data-all-passed", "true", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid='doctor-finding'][data-status='Failed']")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='doctor-finding'][data-check='trust-policy'][data-status='Passed']")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "all-green");

        Assert.Equal(1, CountAuditEvents("Adele Vance", "doctor.fix.trust-policy", "Success"));
    }

    [Fact]
    public async Task Reader_sees_the_explanation_but_no_fix_button()
    {
        var page = await NewPageAsync();
        var environment = await GetOrSetUpEnvironmentAsync();
        await WithScopeAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IAwsIam>().UpdateAssumeRolePolicyAsync(Role,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}");
            return null;
        });

        await SignInAsync(page, Reader);
        await GotoAsync(page, $"/environments/{environment.Id}/doctor", "doctor-reader");
        await page.GetByTestId("run-doctor").ClickAsync();
        var broken = page.Locator("[data-testid='doctor-finding'][data-check='trust-policy'][data-status='Failed']");
        await Expect(broken.GetByTestId("doctor-fix-words")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("doctor-fix")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "reader-sees-no-fix");
    }

    /// <summary>The class's environment, set up through the services (not the UI) the first time a test needs it.</summary>
    private async Task<FederationEnvironment> GetOrSetUpEnvironmentAsync()
    {
        if ((await WithScopeAsync(sp => sp.GetRequiredService<EnvironmentService>().ListAsync())).FirstOrDefault(e => e.Name == "Doctor E2E") is { } existing)
        {
            return existing;
        }

        return await ApplyEnvironmentAsync("Doctor E2E", new EnvironmentSpec
        {
            Roles = [new RoleSpec { Name = Role, Template = RoleTemplate.ReadOnly }],
            Provisioning = new ProvisioningSpec { Enabled = false },
            Assignments = [new AssignmentSpec { PrincipalId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04", PrincipalName = "diego.siciliani@contoso.example", RoleName = Role }],
        });
    }
}
