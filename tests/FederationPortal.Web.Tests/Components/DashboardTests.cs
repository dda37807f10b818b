using Bunit;
using FederationPortal.Core.Environments;
using FederationPortal.Web.Components.Pages.Dashboard;

namespace FederationPortal.Web.Tests.Components;

public sealed class DashboardTests : PortalComponentTest
{
    [Fact]
    public void Empty_dashboard_invites_an_admin_to_create_the_first_environment()
    {
        SignInAsAdmin();
        var page = Render<Dashboard>();

        page.WaitForElement("[data-testid=dashboard-empty]");
        Assert.NotNull(page.Find("[data-testid=create-first-environment]"));
        Assert.Contains("sandbox", page.Markup, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Empty_dashboard_tells_a_reader_to_ask_an_administrator()
    {
        SignInAsReader();
        var page = Render<Dashboard>();

        page.WaitForElement("[data-testid=dashboard-empty]");
        Assert.Empty(page.FindAll("[data-testid=create-first-environment]"));
        Assert.Contains("Ask an administrator", page.Markup);
    }

    [Fact]
    public void Dashboard_lists_environments_with_their_status()
    {
        SignInAsReader();
        Store.Items.Add(new FederationEnvironment { Id = Guid.NewGuid(), Name = "Contoso prod", EntraTenantId = "t", AwsAccountId = "111122223333", Status = EnvironmentStatus.Active });
        Store.Items.Add(new FederationEnvironment { Id = Guid.NewGuid(), Name = "Contoso dev", EntraTenantId = "t", AwsAccountId = "444455556666", Status = EnvironmentStatus.Failed });

        var page = Render<Dashboard>();

        var table = page.WaitForElement("[data-testid=environment-table]");
        Assert.Contains("Contoso prod", table.TextContent);
        Assert.Contains("444455556666", table.TextContent);
        Assert.Contains("Failed", table.TextContent);
        Assert.Equal(2, table.QuerySelectorAll("tbody tr").Length);
    }
}
