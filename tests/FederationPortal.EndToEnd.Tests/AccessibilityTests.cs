using System.Text;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>
/// WCAG 2.1 AA (issue P14 item 1): axe-core finds no serious or critical violation on any page, for an Admin and a
/// Reader, in the light and the dark theme; the setup wizard works from the keyboard alone; dialogs trap focus and
/// give it back; the stepper fits a 1366 px window and the portal stays usable at 1024 px.
/// </summary>
public sealed class AccessibilityTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private const string EnvironmentName = "Contoso a11y";

    /// <summary>The stepper's stages, in order (EnvironmentSetup.razor).</summary>
    private static readonly string[] Stages =
        ["Connect", "App registration", "Metadata exchange", "Role creation", "Provisioning", "User assignment", "Sign-in test"];

    [Fact]
    public async Task Every_page_has_no_serious_or_critical_axe_violation_for_an_admin_and_a_reader_in_both_themes()
    {
        var environment = await GetOrSetUpEnvironmentAsync();
        var output = TestContext.Current.TestOutputHelper;
        var findings = new List<(string Where, AxeViolation Violation)>();
        var pagesChecked = 0;

        async Task CheckAsync(IPage page, string where)
        {
            pagesChecked++;
            foreach (var violation in await Axe.RunAsync(page))
            {
                findings.Add((where, violation));
            }
        }

        // Signed out: the sandbox sign-in page (static, the account layout has one theme).
        var anonymous = await NewPageAsync(bypassCsp: true);
        await OpenSignInPageAsync(anonymous, Admin);
        await CheckAsync(anonymous, "anonymous /account/signin");

        foreach (var person in new[] { Admin, Reader })
        {
            var page = await NewPageAsync(bypassCsp: true);
            await SignInAsync(page, person);
            await SetThemeAsync(page, dark: false);
            foreach (var dark in new[] { false, true })
            {
                await SetThemeAsync(page, dark);
                var who = $"{(person == Admin ? "Admin" : "Reader")} {(dark ? "dark" : "light")}";
                foreach (var path in InteractivePages(environment.Id))
                {
                    await GotoAsync(page, path, $"{who}-{path}".Replace('/', '_').Replace(' ', '-'));
                    await Expect(page.Locator("h1")).ToBeVisibleAsync();
                    await CheckAsync(page, $"{who} {path}");
                }

                // Every stage of the stepper, as each one shows its own editors.
                await GotoAsync(page, $"/environments/{environment.Id}/setup", $"{who}-setup");
                foreach (var stage in Stages)
                {
                    await StageTab(page, stage).ClickAsync();
                    await Expect(StageTab(page, stage)).ToHaveAttributeAsync("aria-selected", "true");
                    await CheckAsync(page, $"{who} setup stage {stage}");
                }
            }

            // The static pages render with the account layout, in one theme.
            foreach (var path in new[] { "/account/access-denied", "/Error" })
            {
                await page.GotoAsync(path);
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
                await CheckAsync(page, $"{person} {path}");
            }
        }

        var serious = findings.Where(f => f.Violation.IsSeriousOrCritical).ToList();
        foreach (var (where, violation) in findings)
        {
            output?.WriteLine($"{where}: {violation.Id} ({violation.Impact}) on {violation.Nodes.Count} element(s)");
        }

        output?.WriteLine($"RESULT a11y_pages={pagesChecked}");
        output?.WriteLine($"RESULT a11y_serious={serious.Sum(f => f.Violation.Nodes.Count)}");
        Assert.True(serious.Count == 0, Describe(serious));
    }

    private static string Describe(IEnumerable<(string Where, AxeViolation Violation)> findings)
    {
        var text = new StringBuilder("axe-core found serious or critical WCAG 2.1 AA violations:").AppendLine();
        foreach (var (where, violation) in findings)
        {
            text.AppendLine($"{where}: {violation.Id} ({violation.Impact}) {violation.Help}");
            foreach (var node in violation.Nodes.Take(5))
            {
                text.AppendLine($"    {node.Target} — {node.Summary}");
            }

            if (violation.Nodes.Count > 5)
            {
                text.AppendLine($"    … and {violation.Nodes.Count - 5} more");
            }
        }

        return text.ToString();
    }

    /// <summary>Every routable page of the main layout (the <c>@page</c> directives under Components/Pages).</summary>
    private static string[] InteractivePages(Guid environmentId) =>
    [
        "/",
        "/environments",
        "/environments/new",
        $"/environments/{environmentId}",
        $"/environments/{environmentId}/certificates",
        $"/environments/{environmentId}/doctor",
        $"/environments/{environmentId}/activity",
        "/activity",
        "/role-assignments",
        "/audit",
        "/settings",
        "/not-found",
    ];

    private static ILocator StageTab(IPage page, string stage)
        => page.GetByTestId("setup-stepper").GetByRole(AriaRole.Tab, new() { Name = stage, Exact = false });

    /// <summary>Switches the signed-in person's theme with the app bar's toggle (it is stored per person).</summary>
    private static async Task SetThemeAsync(IPage page, bool dark)
    {
        var toggle = page.GetByTestId("theme-toggle");
        if (await toggle.GetAttributeAsync("data-dark") != (dark ? "true" : "false"))
        {
            await toggle.ClickAsync();
        }

        await Expect(toggle).ToHaveAttributeAsync("data-dark", dark ? "true" : "false");
    }

    /// <summary>The class's environment, applied through the services (the wizard has its own test) the first time a test needs it.</summary>
    private async Task<FederationEnvironment> GetOrSetUpEnvironmentAsync()
    {
        if ((await WithScopeAsync(sp => sp.GetRequiredService<EnvironmentService>().ListAsync())).FirstOrDefault(e => e.Name == EnvironmentName) is { } existing)
        {
            return existing;
        }

        return await ApplyEnvironmentAsync(EnvironmentName, new EnvironmentSpec
        {
            Roles = [new RoleSpec { Name = "A11Y-ReadOnly", Template = RoleTemplate.ReadOnly }],
            Provisioning = new ProvisioningSpec { Enabled = false },
            Assignments = [new AssignmentSpec { PrincipalId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04", PrincipalName = "diego.siciliani@contoso.example", RoleName = "A11Y-ReadOnly" }],
        });
    }
}
