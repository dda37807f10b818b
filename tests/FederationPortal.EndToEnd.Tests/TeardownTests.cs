using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests;

/// <summary>One-click teardown from the environment page, confirmed by typing the name, checked by listing the sandbox.</summary>
public sealed class TeardownTests(PortalBrowserFixture fixture) : PortalPageTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task Admin_tears_an_environment_down_and_the_sandbox_keeps_nothing_of_it()
    {
        // Set up through the services (the wizard has its own test), with provisioning: every kind of resource exists.
        var environment = await ApplyEnvironmentAsync("Contoso teardown", new EnvironmentSpec
        {
            Roles = [new RoleSpec { Name = "TD-ReadOnly", Template = RoleTemplate.ReadOnly }],
            Assignments = [new AssignmentSpec { PrincipalId = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04", PrincipalName = "diego.siciliani@contoso.example", RoleName = "TD-ReadOnly" }],
        });

        var page = await NewPageAsync();
        await SignInAsync(page, Admin);
        await GotoAsync(page, $"/environments/{environment.Id}", "environment");
        await Expect(page.GetByTestId("managed-resources")).ToContainTextAsync("TD-ReadOnly");

        await page.GetByTestId("plan-teardown").ClickAsync();
        await Expect(page.GetByTestId("teardown-plan")).ToContainTextAsync("Enterprise application");
        await Expect(page.GetByTestId("confirm-teardown")).ToBeDisabledAsync();
        await ScreenshotAsync(page, "teardown-plan");

        await page.Locator("#teardown-confirm").FillAsync("Contoso teardown");
        await Expect(page.GetByTestId("confirm-teardown")).ToBeEnabledAsync();
        await page.GetByTestId("confirm-teardown").ClickAsync();
        await Expect(page.GetByTestId("teardown").GetByTestId("operation-progress")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 90_000 });
        await ScreenshotAsync(page, "teardown-done");

        // Checked by listing the sandbox, not by the portal's own inventory.
        await using var check = Fixture.Portal.Services.CreateAsyncScope();
        var iam = check.ServiceProvider.GetRequiredService<IAwsIam>();
        Assert.Null(await iam.GetRoleAsync("TD-ReadOnly"));
        Assert.Null(await iam.GetUserAsync("FederationPortal-Provisioning-Contoso-teardown"));
        Assert.DoesNotContain(await iam.ListSamlProvidersAsync(), p => p.Arn.EndsWith("/EntraID-Contoso-teardown", StringComparison.Ordinal));
        Assert.Empty(await check.ServiceProvider.GetRequiredService<IEntraDirectoryService>().FindApplicationsByDisplayNameAsync("AWS Contoso teardown"));
        Assert.True(CountAuditEvents("Adele Vance", "aws.role.delete", "Success") >= 1);
        Assert.Equal(1, CountAuditEvents("Adele Vance", "operation.teardown.complete", "Success"));
    }
}
