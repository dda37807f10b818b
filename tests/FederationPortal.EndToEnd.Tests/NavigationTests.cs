using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>Every page of the navigation renders over the live circuit, for a reader too.</summary>
public sealed class NavigationTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task Every_page_in_the_navigation_renders_for_a_reader()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, Reader);
        var navigation = page.GetByRole(AriaRole.Navigation, new PageGetByRoleOptions { Name = "Main navigation" });

        (string Link, string Path, string Heading)[] pages =
        [
            ("Environments", "/environments", "Environments"),
            ("Activity", "/activity", "Activity"),
            ("Role assignments", "/role-assignments", "Role assignments"),
            ("Audit trail", "/audit", "Audit trail"),
            ("Settings", "/settings", "Settings"),
            ("Dashboard", "/", "Dashboard"),
        ];
        foreach (var (link, path, heading) in pages)
        {
            // Client-side navigation inside the circuit, as a person clicking the menu does.
            await navigation.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = link, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(PathIs(path));
            await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await Expect(page.Locator(".mud-appbar").GetByTestId("mode-badge")).ToHaveTextAsync("SANDBOX");
            await ScreenshotAsync(page, path.Trim('/') is { Length: > 0 } name ? name : "dashboard");
        }

        // Readers see no way to change anything.
        await page.GotoAsync("/environments");
        await WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("new-environment")).ToHaveCountAsync(0);

        // The effective configuration names the mode.
        await GotoAsync(page, "/settings", "settings-reload");
        await Expect(page.GetByTestId("effective-config")).ToContainTextAsync("Sandbox");
    }
}
