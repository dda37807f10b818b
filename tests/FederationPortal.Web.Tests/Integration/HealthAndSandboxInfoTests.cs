using System.Net;
using System.Text.Json;
using FederationPortal.TestSupport;

namespace FederationPortal.Web.Tests.Integration;

public sealed class HealthAndSandboxInfoTests : IAsyncLifetime
{
    private readonly PortalHost host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task Healthz_answers_200_when_the_database_is_reachable()
    {
        using var client = host.CreateRealClient();
        var response = await client.GetAsync("healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sandbox_info_names_the_account_tenant_endpoints_and_admin_key()
    {
        using var client = host.CreateRealClient();
        var json = await client.GetStringAsync("sandbox/info", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("111122223333", root.GetProperty("accountId").GetString());
        Assert.Equal($"{host.BaseAddress}/sandbox/aws/iam", root.GetProperty("endpoints").GetProperty("iam").GetString());
        Assert.StartsWith("AKIA", root.GetProperty("awsAdmin").GetProperty("accessKeyId").GetString());
    }

    [Fact]
    public async Task Pages_redirect_anonymous_visitors_to_sign_in()
    {
        using var client = host.CreateRealClient();
        var response = await client.GetAsync("audit", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/signin", response.Headers.Location!.ToString());
    }
}
