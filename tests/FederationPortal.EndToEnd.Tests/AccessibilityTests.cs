using System.Text;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Security;
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
            var violations = await Axe.RunAsync(page);
            findings.AddRange(violations.Select(v => (where, v)));
            if (violations.Any(v => v.IsSeriousOrCritical))
            {
                await ScreenshotAsync(page, $"violation-{where}".Replace('/', '_').Replace(' ', '-'));
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

    [Fact]
    public async Task The_setup_wizard_works_from_the_keyboard_alone_with_the_focus_always_visible()
    {
        var environment = await WithScopeAsync(sp => sp.GetRequiredService<EnvironmentService>()
            .CreateAsync(SetupAdmin, new EnvironmentDraft("Contoso keyboard", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333")));
        var page = await NewPageAsync();
        await SignInAsync(page, Admin);
        await GotoAsync(page, $"/environments/{environment.Id}/setup", "setup-opened");

        // Connect: Tab reaches the step, Enter selects it; Tab reaches the preflight, Enter runs it.
        await TabToAsync(page, StageTab(page, "Connect"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(StageTab(page, "Connect")).ToHaveAttributeAsync("aria-selected", "true");
        await TabToAsync(page, page.GetByTestId("run-preflight"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("preflight-results")).ToContainTextAsync("IAM permissions");
        await ScreenshotAsync(page, "connect-by-keyboard");

        // A stage whose predecessors are not applied: Enter on it says which stage comes first, as a click does.
        await TabToAsync(page, StageTab(page, "Role creation"), backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("stage-gate")).ToContainTextAsync("App registration");

        // App registration, applied with Space on its button.
        await TabToAsync(page, StageTab(page, "App registration"), backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(StageTab(page, "App registration")).ToHaveAttributeAsync("aria-selected", "true");
        await TabToAsync(page, page.GetByTestId("apply-app"));
        await page.Keyboard.PressAsync(" ");
        await Expect(page.GetByTestId("stage-plan-app").GetByTestId("operation-progress"))
            .ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 90_000 });
        await ScreenshotAsync(page, "app-registration-by-keyboard");

        // Every step is reachable: the next one is now open and Enter selects it.
        await TabToAsync(page, StageTab(page, "Metadata exchange"), backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(StageTab(page, "Metadata exchange")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.GetByTestId("apply-metadata")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "metadata-by-keyboard");
    }

    [Fact]
    public async Task A_dialog_keeps_the_keyboard_focus_inside_and_gives_it_back_to_its_button_when_closed()
    {
        const string TokenName = "Keyboard token";
        await WithScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(SetupAdmin, TokenName, PortalRoles.Reader, 30));
        var page = await NewPageAsync(bypassCsp: true);
        await SignInAsync(page, Admin);
        await GotoAsync(page, "/settings", "settings");

        var revoke = page.GetByTestId("token-row").Filter(new() { HasText = TokenName }).GetByRole(AriaRole.Button, new() { Name = "Revoke" });
        await TabToAsync(page, revoke);
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator(":focus")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "revoke-dialog");
        var serious = (await Axe.RunAsync(page)).Where(v => v.IsSeriousOrCritical).Select(v => ("settings with the revoke dialog open", v)).ToList();
        Assert.True(serious.Count == 0, Describe(serious));

        // Round the dialog twice in each direction: the focus never leaves it for the page behind, and always comes to
        // rest on one of its buttons (past the last one it passes through the trap's edge, which sends it round).
        foreach (var key in Enumerable.Repeat("Tab", 6).Concat(Enumerable.Repeat("Shift+Tab", 6)))
        {
            await page.Keyboard.PressAsync(key);
            await Expect(dialog.Locator(":focus")).ToHaveCountAsync(1);
            await Expect(dialog.Locator("button:focus")).ToHaveCountAsync(1);
        }

        // "Keep it" closes the dialog and the focus is back on the Revoke button it came from.
        await TabToAsync(page, dialog.GetByRole(AriaRole.Button, new() { Name = "Keep it" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(revoke).ToBeFocusedAsync();
        await Expect(page.GetByTestId("token-row").Filter(new() { HasText = TokenName })).ToContainTextAsync("active");
    }

    [Fact]
    public async Task The_setup_stepper_shows_every_step_at_1366_px_on_its_last_stage()
    {
        var environment = await GetOrSetUpEnvironmentAsync();
        var page = await NewPageAsync(new ViewportSize { Width = 1366, Height = 900 });
        await SignInAsync(page, Admin);
        await GotoAsync(page, $"/environments/{environment.Id}/setup", "setup-1366");

        // The environment is set up: the wizard resumes on its last stage.
        await Expect(StageTab(page, Stages[^1])).ToHaveAttributeAsync("aria-selected", "true");
        foreach (var stage in Stages)
        {
            await Expect(StageTab(page, stage)).ToBeInViewportAsync(new() { Ratio = 1 });
        }

        var overflow = await page.GetByTestId("setup-stepper").Locator(".mud-stepper-nav").EvaluateAsync<double>("nav => nav.scrollWidth - nav.clientWidth");
        Assert.True(overflow <= 0, $"The stepper's steps are {overflow} px wider than the stepper: some only show by scrolling.");
        Assert.Equal(0, await HorizontalOverflowAsync(page));
    }

    [Fact]
    public async Task At_1024_px_the_main_content_of_every_page_fits_without_horizontal_scrolling()
    {
        var environment = await GetOrSetUpEnvironmentAsync();
        var page = await NewPageAsync(new ViewportSize { Width = 1024, Height = 768 });
        await SignInAsync(page, Admin);
        var overflowing = new List<string>();
        foreach (var path in InteractivePages(environment.Id).Append($"/environments/{environment.Id}/setup"))
        {
            await GotoAsync(page, path, $"1024-{path}".Replace('/', '_'));
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await Expect(page.Locator("main .mud-progress-linear")).ToHaveCountAsync(0);
            if (await HorizontalOverflowAsync(page) is var overflow and > 0)
            {
                await ScreenshotAsync(page, $"1024-overflow-{path}".Replace('/', '_'));
                overflowing.Add($"{path}: {overflow} px wider than the window");
            }
        }

        Assert.True(overflowing.Count == 0, string.Join(Environment.NewLine, overflowing));
    }

    /// <summary>
    /// Waits while the focus is on an edge of a MudBlazor focus trap (a dialog's): an empty tabbable div from which the
    /// trap sends the focus round to the dialog's first or last control, over the circuit. Pressing a key before that
    /// would act on whichever control the focus lands on afterwards.
    /// </summary>
    private static Task WaitForFocusToSettleAsync(IPage page) => page.WaitForFunctionAsync(
        "() => !document.activeElement?.matches('div.fixed.pointer-events-none[tabindex=\"0\"]')");

    /// <summary>How many pixels the main landmark, or the document itself, is wider than it shows (0 when it fits).</summary>
    private static Task<double> HorizontalOverflowAsync(IPage page) => page.EvaluateAsync<double>(
        """
        () => {
          const main = document.querySelector('main');
          const root = document.documentElement;
          return Math.max(0, main.scrollWidth - main.clientWidth, root.scrollWidth - root.clientWidth);
        }
        """);

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the focus is on <paramref name="target"/>, at most 80 times, then checks that the
    /// focused element shows a focus ring: a keyboard user has to see where they are.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, bool backwards = false)
    {
        for (var presses = 0; presses < 80; presses++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement || e.contains(document.activeElement)"))
            {
                var ring = await page.EvaluateAsync<string>(
                    """
                    () => {
                      const e = document.activeElement, s = getComputedStyle(e);
                      return e.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                        ? '' : `${e.outerHTML.slice(0, 120)} (outline ${s.outlineStyle} ${s.outlineWidth})`;
                    }
                    """);
                Assert.True(ring.Length == 0, $"The focus reached {target} but shows no focus ring: {ring}");
                return;
            }

            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            await WaitForFocusToSettleAsync(page);
        }

        Assert.Fail($"{(backwards ? "Shift+Tab" : "Tab")} did not reach {target} in 80 presses; the focus is on "
                    + await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'"));
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
