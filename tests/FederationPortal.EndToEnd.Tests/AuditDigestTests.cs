using FederationPortal.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>An admin signs a digest; a trail cut short behind the portal's back is named by it. Own class: it breaks its portal's trail.</summary>
public sealed class AuditDigestTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task A_signed_digest_names_the_events_deleted_from_the_end_of_the_trail()
    {
        var admin = await NewPageAsync();
        await SignInAsync(admin, Admin);
        await GotoAsync(admin, "/audit", "audit");

        await admin.GetByTestId("sign-digest").ClickAsync();
        await Expect(admin.GetByText("Digest 1 signed events 1–")).ToBeVisibleAsync();
        var last = CountRows("SELECT MAX(Sequence) FROM AuditEvents");
        await admin.GetByTestId("verify-integrity").ClickAsync();
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync("1 signed digest(s) vouch for them");
        await ScreenshotAsync(admin, "digest-signed");

        // Someone with file access deletes the newest events: the chain that is left still links.
        CountRows($"DELETE FROM AuditEvents WHERE Sequence > {last - 2}; SELECT changes();");

        await admin.GetByTestId("verify-integrity").ClickAsync();
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync($"Broken at event {last - 1}:");
        await Expect(admin.GetByTestId("integrity-result")).ToContainTextAsync($"Events {last - 1}–{last} are missing: signed digest 1");
        await ScreenshotAsync(admin, "tail-deleted");

        var reader = await NewPageAsync();
        await SignInAsync(reader, Reader);
        await GotoAsync(reader, "/audit", "reader-audit");
        await Expect(reader.GetByTestId("sign-digest")).ToHaveCountAsync(0);
        await Expect(reader.GetByTestId("export-digests")).ToBeVisibleAsync();
    }
}
