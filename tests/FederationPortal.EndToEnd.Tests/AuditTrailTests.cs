using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>The audit page shows who signed in, and Verify integrity vouches for an untouched trail.</summary>
public sealed class AuditTrailTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task Audit_page_shows_both_sign_ins_and_reports_an_intact_trail()
    {
        var admin = await NewPageAsync();
        await SignInAsync(admin, Admin);
        var reader = await NewPageAsync();
        await SignInAsync(reader, Reader);

        // A reader may read the whole trail.
        await GotoAsync(reader, "/audit", "audit");
        await Expect(AuditRows(reader, "Adele Vance", "auth.signin")).ToHaveCountAsync(1);
        await Expect(AuditRows(reader, "Megan Bowen", "auth.signin")).ToHaveCountAsync(1);
        await Expect(AuditRows(reader, "auth.signin", "Success")).ToHaveCountAsync(2);

        // Free-text search narrows the grid on the server.
        await reader.Locator("input[data-testid='audit-search'], [data-testid='audit-search'] input").First.FillAsync("Megan");
        await Expect(AuditRows(reader, "Adele Vance")).ToHaveCountAsync(0);
        await Expect(AuditRows(reader, "Megan Bowen", "auth.signin")).ToHaveCountAsync(1);
        await ScreenshotAsync(reader, "search");

        await reader.GetByTestId("verify-integrity").ClickAsync();
        await Expect(reader.GetByTestId("integrity-result")).ToContainTextAsync($"Intact: all {CountRows("SELECT COUNT(*) FROM AuditEvents")} events");
        await ScreenshotAsync(reader, "intact");
    }
}
