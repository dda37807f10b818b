using Bunit;
using Microsoft.Extensions.DependencyInjection;
using FederationPortal.Core.Audit;
using FederationPortal.Web.Components.Pages.Environments;

namespace FederationPortal.Web.Tests.Components;

public sealed class NewEnvironmentTests : PortalComponentTest
{
    private static void Fill(IRenderedComponent<NewEnvironment> page, string name, string tenant, string account)
    {
        page.Find("#env-name").Change(name);
        page.Find("#env-tenant").Change(tenant);
        page.Find("#env-account").Change(account);
    }

    [Fact]
    public void Reader_is_refused_by_the_server_and_nothing_is_created()
    {
        SignInAsReader();
        var page = Render<NewEnvironment>();
        Fill(page, "Contoso prod", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333");

        page.Find("[data-testid=create-environment]").Click();

        page.WaitForAssertion(() => Assert.Contains("may not perform", page.Find("[data-testid=form-error]").TextContent));
        Assert.Empty(Store.Items);
        Assert.Equal(AuditOutcome.Denied, Assert.Single(Audit.Events).Outcome);
    }

    [Fact]
    public void Bad_account_id_shows_the_fix_next_to_the_field_and_keeps_the_input()
    {
        SignInAsAdmin();
        var page = Render<NewEnvironment>();
        Fill(page, "Contoso prod", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "1111-2222-3333");

        page.Find("[data-testid=create-environment]").Click();

        page.WaitForAssertion(() => Assert.Contains("12-digit AWS account ID", page.Markup));
        Assert.Empty(Store.Items);
        Assert.Equal("Contoso prod", page.Find("#env-name").GetAttribute("value"));
    }

    [Fact]
    public void Admin_creates_an_environment_and_is_taken_to_it()
    {
        SignInAsAdmin();
        var page = Render<NewEnvironment>();
        Fill(page, "Contoso prod", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333");

        page.Find("[data-testid=create-environment]").Click();

        page.WaitForAssertion(() => Assert.Single(Store.Items));
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        Assert.EndsWith($"/environments/{Store.Items[0].Id}", navigation.Uri);
    }
}
