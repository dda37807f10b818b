using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>The whole guided setup in Sandbox mode: from an empty database to AWS credentials for a sandbox user.</summary>
public sealed class SetupWizardTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private async Task ApplyStageAsync(IPage page, string stage, string screenshot)
    {
        await page.GetByTestId($"apply-{stage}").ClickAsync();
        var progress = page.GetByTestId($"stage-plan-{stage}").GetByTestId("operation-progress");
        await Expect(progress).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 90_000 });
        await Expect(page.GetByTestId($"stage-plan-{stage}").GetByTestId("stage-done")).ToBeVisibleAsync();
        await ScreenshotAsync(page, screenshot);
    }

    [Fact]
    public async Task Admin_walks_the_wizard_from_nothing_to_a_successful_AssumeRoleWithSAML()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, Admin);

        // An environment for the sandbox tenant and account (the form prefills both).
        await GotoAsync(page, "/environments/new", "new-environment");
        await page.Locator("#env-name").FillAsync("Contoso sandbox");
        await page.Locator("#env-name").BlurAsync();
        await page.GetByTestId("create-environment").ClickAsync();
        await page.GetByTestId("open-setup").ClickAsync();
        await Expect(page.GetByTestId("setup-stepper")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "setup-opened");

        // Connect: preflight both clouds.
        await StageTab(page, "Connect").ClickAsync();
        await page.GetByTestId("run-preflight").ClickAsync();
        await Expect(page.GetByTestId("preflight-results")).ToContainTextAsync("IAM permissions");
        await Expect(page.GetByTestId("preflight-results").Locator(".mud-error-text")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "stage-1-connect");

        // A later stage is gated until the earlier ones are applied.
        await StageTab(page, "Role creation").ClickAsync();
        await Expect(page.GetByTestId("stage-gate")).ToContainTextAsync("App registration");

        // App registration.
        await StageTab(page, "App registration").ClickAsync();
        await Expect(page.GetByTestId("stage-plan-app")).ToContainTextAsync("AWS Single-Account Access");
        await ApplyStageAsync(page, "app", "stage-2-app-registration");

        // Metadata exchange.
        await StageTab(page, "Metadata exchange").ClickAsync();
        await ApplyStageAsync(page, "metadata", "stage-3-metadata");
        await page.GetByTestId("fetch-metadata").ClickAsync();
        await Expect(page.GetByTestId("metadata-summary")).ToContainTextAsync("https://sts.windows.net/");
        await ScreenshotAsync(page, "stage-3-metadata-details");

        // Role creation: one read-only role.
        await StageTab(page, "Role creation").ClickAsync();
        await page.Locator("#role-name").FillAsync("FP-ReadOnly");
        await page.Locator("#role-name").BlurAsync();
        await page.GetByTestId("add-role").ClickAsync();
        await Expect(page.GetByTestId("roles-table")).ToContainTextAsync("FP-ReadOnly");
        await page.GetByTestId("stage-plan-roles").Locator("xpath=..").GetByTestId("save-stage").ClickAsync();
        await Expect(page.GetByTestId("stage-plan-roles")).ToContainTextAsync("Create role FP-ReadOnly");
        await ApplyStageAsync(page, "roles", "stage-4-roles");

        // Provisioning: the access key goes from AWS to Entra, the job imports the role.
        await StageTab(page, "Provisioning").ClickAsync();
        await ApplyStageAsync(page, "provisioning", "stage-5-provisioning");

        // User assignment: Diego to the read-only role.
        await StageTab(page, "User assignment").ClickAsync();
        await page.Locator("#assignment-principal").FillAsync("diego");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "diego.siciliani" }).First.ClickAsync();
        await page.GetByTestId("assignment-role").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "FP-ReadOnly" }).First.ClickAsync();
        await page.GetByTestId("add-assignment").ClickAsync();
        await Expect(page.GetByTestId("assignment-matrix")).ToContainTextAsync("diego.siciliani@contoso.example");
        await page.GetByTestId("stage-plan-assignments").Locator("xpath=..").GetByTestId("save-stage").ClickAsync();
        await ApplyStageAsync(page, "assignments", "stage-6-assignments");

        // Sign-in test: Diego signs in through the sandbox IdP and STS issues credentials for the role.
        await StageTab(page, "Sign-in test").ClickAsync();
        await page.GetByTestId("signin-user").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "diego.siciliani" }).First.ClickAsync();
        await page.GetByTestId("signin-role").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "FP-ReadOnly" }).First.ClickAsync();
        await page.GetByTestId("run-signin-test").ClickAsync();
        await Expect(page.GetByTestId("signin-result")).ToContainTextAsync("arn:aws:sts::111122223333:assumed-role/FP-ReadOnly/diego.siciliani@contoso.example");
        await ScreenshotAsync(page, "stage-7-signin-test");

        Assert.Equal(1, CountAuditEvents("Adele Vance", "signin-test.sandbox", "Success"));
        Assert.True(CountAuditEvents("Adele Vance", "aws.role.create", "Success") >= 1);
    }
}
