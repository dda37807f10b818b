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
        var admin = await NewPageAsync();
        await SignInAsync(admin, Admin);                          // event 1
        var reader = await NewPageAsync();
        await SignInAsync(reader, Reader);                        // event 2
        var refused = await NewPageAsync();
        await OpenSignInPageAsync(refused, NoRole);
        await refused.GetByTestId($"signin-{NoRole}").ClickAsync(); // event 3 (a refusal)
        await Expect(refused.GetByTestId("signin-error")).ToBeVisibleAsync();
        Assert.Equal(3, CountRows("SELECT COUNT(*) FROM AuditEvents"));

        await GotoAsync(admin, "/audit", "audit");
        await admin.GetByTestId("verify-integrity").ClickAsync();
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync("Intact: all 3 events");
        await ScreenshotAsync(admin, "intact");

        // Someone with file access rewrites who did event 2.
        Assert.Equal(1, CountRows("UPDATE AuditEvents SET ActorName = 'Mallory' WHERE Sequence = 2; SELECT changes();"));

        await GotoAsync(admin, "/audit", "audit-after-tampering");
        await Expect(AuditRows(admin, "Mallory")).ToHaveCountAsync(1);
        await admin.GetByTestId("verify-integrity").ClickAsync();
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync("Broken at event 2:");
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync("altered after it was written");
        await ScreenshotAsync(admin, "broken");
    }
}
