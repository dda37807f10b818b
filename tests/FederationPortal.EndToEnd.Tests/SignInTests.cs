using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>Sandbox sign-in, sign-out, refusal of an account without a role, and the per-user theme.</summary>
public sealed class SignInTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private const string LightAppBar = "rgb(15, 58, 102)"; // PortalTheme.PaletteLight.AppbarBackground #0f3a66
    private const string DarkAppBar = "rgb(16, 36, 59)";   // PortalTheme.PaletteDark.AppbarBackground #10243b

    [Fact]
    public async Task Admin_signs_in_and_reaches_the_dashboard()
    {
        var page = await NewPageAsync();
        var signInsBefore = CountAuditEvents("Adele Vance", "auth.signin", "Success");

        await SignInAsync(page, Admin);

        await Expect(page).ToHaveURLAsync(PathIs("/"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");
        await Expect(page.Locator(".mud-appbar").GetByTestId("mode-badge")).ToHaveTextAsync("SANDBOX");
        await Expect(page.GetByTestId("user-menu")).ToContainTextAsync("Adele Vance");
        // MudBlazor's stylesheet and the portal theme are applied (an unstyled page would leave the app bar transparent).
        await Expect(page.Locator(".mud-appbar")).ToHaveCSSAsync("background-color", LightAppBar);
        await Expect(page.Locator(".mud-appbar")).ToHaveCSSAsync("position", "fixed");
        // No environment yet: the empty state tells an admin the next step.
        await Expect(page.GetByTestId("dashboard-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("create-first-environment")).ToBeVisibleAsync();

        Assert.Equal(signInsBefore + 1, CountAuditEvents("Adele Vance", "auth.signin", "Success"));
    }

    [Fact]
    public async Task User_without_a_role_is_refused_at_sign_in_with_an_explanation()
    {
        var page = await NewPageAsync();
        var refusalsBefore = CountAuditEvents("Alex Wilber", "auth.signin", "Denied");
        await OpenSignInPageAsync(page, NoRole);

        await page.GetByTestId($"signin-{NoRole}").ClickAsync();

        await Expect(page).ToHaveURLAsync(PathIs("/account/signin"));
        await Expect(page.GetByTestId("signin-error")).ToContainTextAsync("holds no FederationPortal role");
        await ScreenshotAsync(page, "refused");

        // Not signed in: the dashboard still sends the browser back to sign-in.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(PathIs("/account/signin"));
        await Expect(page.GetByTestId("signin-error")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "dashboard-redirects-to-signin");

        Assert.Equal(refusalsBefore + 1, CountAuditEvents("Alex Wilber", "auth.signin", "Denied"));
    }

    [Fact]
    public async Task Signing_out_from_the_user_menu_ends_the_session()
    {
        var page = await NewPageAsync();
        var signOutsBefore = CountAuditEvents("Adele Vance", "auth.signout", "Success");
        await SignInAsync(page, Admin);

        await page.GetByTestId("user-menu").ClickAsync();
        await Expect(page.GetByTestId("sign-out")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "user-menu-open");
        await page.GetByTestId("sign-out").ClickAsync();

        await Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "signed-out");
        await page.GotoAsync("/audit");
        await Expect(page).ToHaveURLAsync(PathIs("/account/signin"));

        Assert.Equal(signOutsBefore + 1, CountAuditEvents("Adele Vance", "auth.signout", "Success"));
    }

    [Fact]
    public async Task Theme_choice_persists_across_reload_for_that_user_only()
    {
        var reader = await NewPageAsync();
        await SignInAsync(reader, Reader);
        var appBar = reader.Locator(".mud-appbar");
        await Expect(appBar).ToHaveCSSAsync("background-color", LightAppBar);

        await reader.GetByTestId("theme-toggle").ClickAsync();
        await Expect(appBar).ToHaveCSSAsync("background-color", DarkAppBar);
        await ScreenshotAsync(reader, "dark");

        await reader.ReloadAsync();
        await WaitForInteractiveAsync(reader);
        await Expect(appBar).ToHaveCSSAsync("background-color", DarkAppBar);
        await ScreenshotAsync(reader, "dark-after-reload");

        await GotoAsync(reader, "/audit", "audit-dark");
        await Expect(appBar).ToHaveCSSAsync("background-color", DarkAppBar);

        // Another person keeps the light theme: the choice is per user, not per portal.
        var admin = await NewPageAsync();
        await SignInAsync(admin, Admin);
        await Expect(admin.Locator(".mud-appbar")).ToHaveCSSAsync("background-color", LightAppBar);
    }
}
