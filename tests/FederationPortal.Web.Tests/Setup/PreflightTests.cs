using FederationPortal.Core.Federation;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Setup;

public sealed class PreflightTests
{
    private static Task<IReadOnlyList<PreflightCheck>> RunAsync(PortalHost host)
    {
        _ = host.BaseAddress;
        return new SetupDriver(host).WithScopeAsync(sp => sp.GetRequiredService<PreflightService>().RunAsync(SetupDriver.AccountId));
    }

    [Fact]
    public async Task The_sandbox_passes_every_preflight_check()
    {
        await using var host = new PortalHost();
        var checks = await RunAsync(host);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Cloud} {c.Name}: {c.Detail}"));
        Assert.Contains(checks, c => c.Name == "Graph permissions");
    }

    [Fact]
    public async Task A_client_without_some_graph_permissions_is_told_which_ones_and_how_to_grant_them()
    {
        await using var host = new PortalHost(new Dictionary<string, string?>
        {
            ["Sandbox:GrantedPermissions:0"] = "Application.ReadWrite.OwnedBy",
            ["Sandbox:GrantedPermissions:1"] = "User.Read.All",
        });
        var check = (await RunAsync(host)).Single(c => c.Name == "Graph permissions");
        Assert.False(check.Passed);
        Assert.DoesNotContain("Application.ReadWrite.All", check.Detail);
        Assert.Contains("Synchronization.ReadWrite.All", check.Detail);
        Assert.Contains("Group.Read.All", check.Detail);
        Assert.Contains("admin consent", check.Fix);
    }

    [Fact]
    public async Task Credentials_of_another_account_are_refused_by_name()
    {
        await using var host = new PortalHost();
        _ = host.BaseAddress;
        var checks = await new SetupDriver(host).WithScopeAsync(sp => sp.GetRequiredService<PreflightService>().RunAsync("999988887777"));
        var credentials = checks.Single(c => c.Name == "Credentials");
        Assert.False(credentials.Passed);
        Assert.Contains("not 999988887777", credentials.Fix);
    }
}
