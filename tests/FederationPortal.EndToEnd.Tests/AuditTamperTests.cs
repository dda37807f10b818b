using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>A row changed behind the portal's back is caught by Verify integrity. Own class: it breaks its portal's trail.</summary>
public sealed class AuditTamperTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task Verify_integrity_catches_a_row_altered_in_the_database()
    {
        // The portal's own start-up events (the sandbox's API token) come first.
        var before = CountRows("SELECT COUNT(*) FROM AuditEvents");
        var admin = await NewPageAsync();
        await SignInAsync(admin, Admin);
        var reader = await NewPageAsync();
        await SignInAsync(reader, Reader);                        // the event to tamper with
        var refused = await NewPageAsync();
        await OpenSignInPageAsync(refused, NoRole);
        await refused.GetByTestId($"signin-{NoRole}").ClickAsync(); // a refusal
        await Expect(refused.GetByTestId("signin-error")).ToBeVisibleAsync();
        Assert.Equal(before + 3, CountRows("SELECT COUNT(*) FROM AuditEvents"));
        var victim = before + 2;

        await GotoAsync(admin, "/audit", "audit");
        await admin.GetByTestId("verify-integrity").ClickAsync();
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync($"Intact: all {before + 3} events");
        await ScreenshotAsync(admin, "intact");

        // Someone with file access rewrites who signed in.
        Assert.Equal(1, CountRows($"UPDATE AuditEvents SET ActorName = 'Mallory' WHERE Sequence = {victim}; SELECT changes();"));

        await GotoAsync(admin, "/audit", "audit-after-tampering");
        await Expect(AuditRows(admin, "Mallory")).ToHaveCountAsync(1);
        await admin.GetByTestId("verify-integrity").ClickAsync();
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync($"Broken at event {victim}:");
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync("altered after it was written");
        await ScreenshotAsync(admin, "broken");
    }
}
