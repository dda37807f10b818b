using FederationPortal.Core.Aws;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Monitoring;
using FederationPortal.Core.Security;
using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>
/// The Activity page over the real sandbox: sign-ins that succeed, that AWS refuses and that Entra refuses, each shown
/// as one entry joining Entra's sign-in log with CloudTrail's AssumeRoleWithSAML event, failures with cause and fix;
/// and the dashboard's alert when failures spike, which opens those failures.
/// </summary>
public sealed class ActivityTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private static readonly PortalActor Adele = SetupAdmin;
    private const string Role = "E2E-Activity-ReadOnly";
    private const string Diego = "diego.siciliani@contoso.example";
    private const string Alex = "alex.wilber@contoso.example";

    [Fact]
    public async Task Activity_page_joins_each_sign_in_with_its_AWS_side_explains_the_failures_and_a_spike_raises_a_dashboard_alert()
    {
        var environmentId = await SetUpEnvironmentAsync("Contoso activity");

        // 1. Diego signs in: Entra issues the response, STS issues the session.
        var succeeded = await SignInTestAsync(environmentId, Diego);
        Assert.True(succeeded.Success, string.Join(" / ", succeeded.Steps.Select(s => $"{s.Name}: {s.Detail}")));

        // 2. Someone edits the role's trust policy by hand: Entra still signs Diego in, STS now refuses (AccessDenied).
        await WithScopeAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<IAwsIam>().UpdateAssumeRolePolicyAsync(Role,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}");
            return null;
        });
        var refusedByAws = await SignInTestAsync(environmentId, Diego);
        Assert.False(refusedByAws.Success);

        // 3. Alex is assigned to nothing: Entra refuses him (AADSTS50105) and AWS never hears of it.
        var refusedByEntra = await SignInTestAsync(environmentId, Alex);
        Assert.False(refusedByEntra.Success);

        var page = await NewPageAsync();
        await SignInAsync(page, Reader);
        await GotoAsync(page, $"/environments/{environmentId}", "environment");
        await page.GetByTestId("open-activity").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs($"/environments/{environmentId}/activity"));
        await Expect(page.GetByTestId("activity-environment")).ToHaveTextAsync("Contoso activity");

        var entries = page.GetByTestId("activity-entry");
        var success = page.Locator("[data-testid='activity-entry'][data-outcome='Succeeded']");
        var awsFailure = page.Locator("[data-testid='activity-entry'][data-outcome='FailedAtAws']");
        var entraFailure = page.Locator("[data-testid='activity-entry'][data-outcome='FailedAtEntra']");
        await Expect(success).ToHaveCountAsync(1);
        await Expect(awsFailure).ToHaveCountAsync(1);
        await Expect(entraFailure).ToHaveCountAsync(1);
        await Expect(entries).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("activity-source-error")).ToHaveCountAsync(0);

        // The success: both halves in one entry.
        await Expect(success.GetByTestId("activity-entra")).ToContainTextAsync("Signed in");
        await Expect(success.GetByTestId("activity-aws")).ToContainTextAsync($"arn:aws:sts::111122223333:assumed-role/{Role}/{Diego}");

        // The AWS refusal: Entra signed Diego in, STS answered AccessDenied; the page says why and what to do.
        await Expect(awsFailure.GetByTestId("activity-entra")).ToContainTextAsync("Signed in");
        await Expect(awsFailure.GetByTestId("activity-aws")).ToContainTextAsync(Role);
        await Expect(awsFailure.GetByTestId("activity-aws")).ToContainTextAsync("AccessDenied");
        await Expect(awsFailure.GetByTestId("activity-cause")).Not.ToBeEmptyAsync();
        await Expect(awsFailure.GetByTestId("activity-fix")).ToContainTextAsync("trust policy");

        // The Entra refusal: AADSTS50105, explained, with the fix.
        await Expect(entraFailure).ToContainTextAsync(Alex);
        await Expect(entraFailure.GetByTestId("activity-entra")).ToContainTextAsync("AADSTS50105");
        await Expect(entraFailure.GetByTestId("activity-explanation")).ToContainTextAsync("AADSTS50105");
        await Expect(entraFailure.GetByTestId("activity-fix")).ToContainTextAsync("Assign the user");

        await Expect(page.GetByTestId("activity-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("activity-chart")).ToContainTextAsync(Role);
        await ScreenshotAsync(page, "activity");

        // Only failures: the address carries the filter, the success leaves the list.
        await page.GetByTestId("filter-outcome").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "Failed" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("outcome=Failed"));
        await Expect(success).ToHaveCountAsync(0);
        await Expect(entries).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "activity-failures");

        // Three more refusals make five failed sign-ins within the hour: the dashboard raises a spike alert that opens
        // the environment's failures.
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await SignInTestAsync(environmentId, Alex)).Success);
        }

        Fixture.Portal.Services.GetRequiredService<AlertCache>().Clear(); // alerts are cached for a minute
        await page.GetByRole(AriaRole.Navigation, new PageGetByRoleOptions { Name = "Main navigation" })
            .GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Dashboard", Exact = true }).ClickAsync();
        var spike = page.Locator("[data-testid='alert'][data-kind='FailedSignInSpike']");
        await Expect(spike).ToContainTextAsync("Contoso activity");
        await ScreenshotAsync(page, "dashboard-spike-alert");
        await spike.GetByTestId("alert-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs($"/environments/{environmentId}/activity"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("outcome=Failed"));
        await Expect(entraFailure).ToHaveCountAsync(4);
        await Expect(awsFailure).ToHaveCountAsync(1);
        await Expect(success).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "activity-from-spike-alert");

        // The CSV export of the same view, as the reader.
        var href = await page.GetByTestId("activity-export-csv").GetAttributeAsync("href");
        var csv = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, csv.Status);
        var lines = (await csv.TextAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Single(lines, l => l.Contains("FailedAtAws", StringComparison.Ordinal) && l.Contains(Diego, StringComparison.Ordinal));
        Assert.Equal(4, lines.Count(l => l.Contains("FailedAtEntra", StringComparison.Ordinal) && l.Contains(Alex, StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("Succeeded", StringComparison.Ordinal));
    }

    /// <summary>An environment applied through the services: one role, Diego assigned to it.</summary>
    private async Task<Guid> SetUpEnvironmentAsync(string name) => (await ApplyEnvironmentAsync(name, new EnvironmentSpec
    {
        Roles = [new RoleSpec { Name = Role, Template = RoleTemplate.ReadOnly }],
        Provisioning = new ProvisioningSpec { Enabled = false },
        Assignments = [new AssignmentSpec { PrincipalId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04", PrincipalName = Diego, RoleName = Role }],
    })).Id;

    private Task<SignInTestResult> SignInTestAsync(Guid environmentId, string user)
        => WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>().SignInAsync(Adele, environmentId, user, Role));
}
