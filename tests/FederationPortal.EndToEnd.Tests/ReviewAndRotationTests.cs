using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>Operating a set-up federation in the browser: the role-assignment review and a certificate rotation.</summary>
public sealed class ReviewAndRotationTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    /// <summary>An environment applied through the services (the wizard has its own test): Diego direct, AWS Administrators by group.</summary>
    private async Task<Guid> SetUpEnvironmentAsync(string name) => (await ApplyEnvironmentAsync(name, new EnvironmentSpec
    {
        Roles =
        [
            new RoleSpec { Name = "FP-Administrator", Template = RoleTemplate.Administrator },
            new RoleSpec { Name = "FP-ReadOnly", Template = RoleTemplate.ReadOnly, MaxSessionDurationSeconds = 7200 },
        ],
        Provisioning = new ProvisioningSpec { Enabled = false },
        Assignments =
        [
            new AssignmentSpec { PrincipalId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04", PrincipalType = PrincipalKind.User, PrincipalName = "diego.siciliani@contoso.example", RoleName = "FP-ReadOnly" },
            new AssignmentSpec { PrincipalId = "7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c01", PrincipalType = PrincipalKind.Group, PrincipalName = "AWS Administrators", RoleName = "FP-Administrator" },
        ],
    })).Id;

    private async Task WaitForAuditCountAsync(string action, string outcome, long expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (CountAuditEvents("Adele Vance", action, outcome) < expected)
        {
            await Task.Delay(100, deadline.Token); // polls the audit table until the event lands or the deadline passes
        }

        Assert.Equal(expected, CountAuditEvents("Adele Vance", action, outcome));
    }

    [Fact]
    public async Task Admin_reviews_who_can_assume_which_role_attests_it_and_rotates_the_certificate_without_breaking_sign_in()
    {
        var environmentId = await SetUpEnvironmentAsync("Contoso operate");
        var page = await NewPageAsync();
        await SignInAsync(page, Admin);

        // Review: direct and group access, read live from both clouds.
        await GotoAsync(page, $"/role-assignments?environmentId={environmentId}", "review");
        var table = page.GetByTestId("review-table");
        await Expect(table).ToContainTextAsync("diego.siciliani@contoso.example");
        await Expect(table).ToContainTextAsync("AWS Administrators");
        await Expect(table).ToContainTextAsync("ReadOnlyAccess");
        await Expect(table).ToContainTextAsync("EntraID-Contoso-operate");
        await Expect(page.GetByTestId("review-export-csv")).ToHaveAttributeAsync("href", $"/api/review.csv?environmentId={environmentId}");

        await page.Locator("#review-principal").FillAsync("diego");
        await Expect(table.Locator("tbody tr").Filter(new LocatorFilterOptions { HasNotText = "diego.siciliani" })).ToHaveCountAsync(0);
        await Expect(table.Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = "direct" })).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("review-export-csv")).ToHaveAttributeAsync("href", $"/api/review.csv?environmentId={environmentId}&principal=diego");
        await ScreenshotAsync(page, "review-filtered");

        await page.GetByTestId("review-attest").ClickAsync();
        await Expect(page.GetByTestId("review-attested")).ToContainTextAsync("Attested by Adele Vance");
        await Expect(page.GetByTestId("review-attested-hash")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await ScreenshotAsync(page, "review-attested");
        await WaitForAuditCountAsync("review.attest", "Success", 1);

        // Rotation: after every step, a sandbox sign-in still yields AWS credentials.
        await GotoAsync(page, $"/environments/{environmentId}/certificates", "certificates");
        await Expect(page.GetByTestId("entra-certificate")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("rotation-step-1")).ToHaveAttributeAsync("data-state", "next");
        await page.GetByTestId("signin-user").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "diego.siciliani" }).First.ClickAsync();
        await page.GetByTestId("signin-role").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "FP-ReadOnly" }).First.ClickAsync();

        for (var step = 1; step <= 4; step++)
        {
            await page.GetByTestId($"rotation-run-{step}").ClickAsync();
            if (step < 4)
            {
                await Expect(page.GetByTestId($"rotation-step-{step}")).ToHaveAttributeAsync("data-state", "done");
                await Expect(page.GetByTestId($"rotation-step-{step + 1}")).ToHaveAttributeAsync("data-state", "next");
            }
            else
            {
                await Expect(page.GetByTestId("rotation-step-1")).ToHaveAttributeAsync("data-state", "next");
                await Expect(page.GetByTestId("entra-certificate")).ToHaveCountAsync(1);
                await Expect(page.GetByTestId("iam-certificate")).ToHaveCountAsync(1);
            }

            if (step == 2)
            {
                await Expect(page.GetByTestId("iam-certificate")).ToHaveCountAsync(2);
            }

            await page.GetByTestId("run-signin-test").ClickAsync();
            await WaitForAuditCountAsync("signin-test.sandbox", "Success", step);
            await Expect(page.GetByTestId("signin-result")).ToContainTextAsync("assumed-role/FP-ReadOnly/diego.siciliani@contoso.example");
            await ScreenshotAsync(page, $"rotation-step-{step}");
        }

        Assert.Equal(0, CountAuditEvents("Adele Vance", "signin-test.sandbox", "Failure"));
        foreach (var action in new[] { "certificate.rotation.add", "certificate.rotation.publish", "certificate.rotation.activate", "certificate.rotation.remove" })
        {
            Assert.Equal(1, CountAuditEvents("Adele Vance", action, "Success"));
        }
    }
}
