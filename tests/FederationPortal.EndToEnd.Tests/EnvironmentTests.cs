using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>Creating an environment through the form: an admin may, a reader is refused by the server.</summary>
public sealed class EnvironmentTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task Reader_is_refused_creating_an_environment_and_the_refusal_is_audited()
    {
        const string name = "Reader attempt";
        var page = await NewPageAsync();
        await SignInAsync(page, Reader);

        // The buttons are hidden for a reader, but the address still opens the form: the server must refuse.
        await Expect(page.GetByTestId("create-first-environment")).ToHaveCountAsync(0);
        await GotoAsync(page, "/environments/new", "form");
        await page.Locator("#env-name").FillAsync(name);
        await page.Locator("#env-name").BlurAsync();
        await page.GetByTestId("create-environment").ClickAsync();

        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("Megan Bowen may not perform 'environment.create'");
        await Expect(page).ToHaveURLAsync(PathIs("/environments/new"));
        await ScreenshotAsync(page, "refused");

        Assert.Equal(0, CountRows("SELECT COUNT(*) FROM Environments WHERE Name = $name", ("$name", name)));
        await GotoAsync(page, "/", "dashboard");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");
        await Expect(page.GetByText(name)).ToHaveCountAsync(0);

        Assert.Equal(1, CountAuditEvents("Megan Bowen", "environment.create", "Denied"));
        await GotoAsync(page, "/audit", "audit");
        await Expect(AuditRows(page, "Megan Bowen", "environment.create")).ToContainTextAsync("Denied");
        await ScreenshotAsync(page, "audit-denied");
    }

    [Fact]
    public async Task Admin_creates_an_environment_through_the_form_after_fixing_a_validation_error()
    {
        const string name = "Contoso production";
        var page = await NewPageAsync();
        await SignInAsync(page, Admin);

        await GotoAsync(page, "/environments/new", "form");
        // The sandbox prefills its own tenant and account.
        await Expect(page.Locator("#env-tenant")).Not.ToHaveValueAsync(string.Empty);
        await page.Locator("#env-name").FillAsync(name);
        await page.Locator("#env-account").FillAsync("1234-5678");
        await page.Locator("#env-account").BlurAsync();
        await page.GetByTestId("create-environment").ClickAsync();

        await Expect(page.GetByText("Enter the 12-digit AWS account ID")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/environments/new"));
        await ScreenshotAsync(page, "validation-error");
        Assert.Equal(0, CountRows("SELECT COUNT(*) FROM Environments"));
        Assert.Equal(1, CountAuditEvents("Adele Vance", "environment.create", "Failure"));

        await page.Locator("#env-account").FillAsync("123456789012");
        await page.Locator("#env-account").BlurAsync();
        await page.GetByTestId("create-environment").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/environments/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("environment-summary")).ToContainTextAsync("123456789012");
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await ScreenshotAsync(page, "created");
        Assert.Equal(1, CountRows("SELECT COUNT(*) FROM Environments WHERE Name = $name AND AwsAccountId = '123456789012'", ("$name", name)));

        await GotoAsync(page, "/", "dashboard");
        await Expect(page.GetByTestId("dashboard-empty")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("environment-table")).ToContainTextAsync(name);
        Assert.Equal(1, CountAuditEvents("Adele Vance", "environment.create", "Success"));
    }
}
