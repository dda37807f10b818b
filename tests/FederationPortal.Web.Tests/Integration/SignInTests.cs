using System.Net;
using FederationPortal.Core.Audit;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Integration;

public sealed class SignInTests : IAsyncLifetime
{
    private readonly PortalHost host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private IAuditTrail Audit => host.Services.GetRequiredService<IAuditTrail>();

    [Fact]
    public async Task Sign_in_page_lists_the_sandbox_directory_and_is_marked_sandbox()
    {
        using var client = host.CreateRealClient();
        var html = await client.GetStringAsync("account/signin", TestContext.Current.CancellationToken);
        Assert.Contains("SANDBOX", html);
        Assert.Contains("Adele Vance", html);
        Assert.Contains("Megan Bowen", html);
        Assert.DoesNotContain("type=\"password\"", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Admin_signs_in_reaches_the_dashboard_and_the_sign_in_is_audited()
    {
        using var client = host.CreateRealClient();
        var response = await SandboxSession.SignInAsync(client, SandboxSession.AdminId, "/audit");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/audit", response.Headers.Location!.ToString());

        var dashboard = await client.GetAsync("", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        var events = await Audit.QueryAsync(new AuditQuery { Action = "auth.signin" }, TestContext.Current.CancellationToken);
        var evt = Assert.Single(events.Items);
        Assert.Equal(AuditOutcome.Success, evt.Outcome);
        Assert.Equal("Adele Vance", evt.ActorName);
    }

    [Theory]
    [InlineData(SandboxSession.NoRoleId, "no-role")]
    [InlineData(SandboxSession.DisabledId, "account-disabled")]
    [InlineData("00000000-0000-0000-0000-000000000000", "unknown-user")]
    public async Task Sign_in_is_refused_with_a_reason_and_the_refusal_is_audited(string userId, string reason)
    {
        using var client = host.CreateRealClient();
        var response = await SandboxSession.SignInAsync(client, userId);

        Assert.Equal($"/account/signin?error={reason}", response.Headers.Location!.ToString());
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("FederationPortal.Auth", StringComparison.Ordinal)));
        var evt = Assert.Single((await Audit.QueryAsync(new AuditQuery { Action = "auth.signin" }, TestContext.Current.CancellationToken)).Items);
        Assert.Equal(AuditOutcome.Denied, evt.Outcome);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_rejected()
    {
        using var client = host.CreateRealClient();
        var response = await client.PostAsync("account/sandbox-signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userId"] = SandboxSession.AdminId,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await Audit.QueryAsync(new AuditQuery { Action = "auth.signin" }, TestContext.Current.CancellationToken)).TotalCount);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    public async Task Return_url_never_leaves_the_portal(string returnUrl)
    {
        using var client = host.CreateRealClient();
        var response = await SandboxSession.SignInAsync(client, SandboxSession.AdminId, returnUrl);
        Assert.Equal("/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Sign_out_is_audited_and_ends_the_session()
    {
        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.ReaderId);
        var token = await SandboxSession.GetAntiforgeryTokenAsync(client, "account/access-denied");
        var response = await client.PostAsync("account/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await client.GetAsync("audit", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/signin", after.Headers.Location!.ToString());
        var evt = Assert.Single((await Audit.QueryAsync(new AuditQuery { Action = "auth.signout" }, TestContext.Current.CancellationToken)).Items);
        Assert.Equal("Megan Bowen", evt.ActorName);
    }
}

public sealed class SessionPersistenceTests
{
    [Fact]
    public async Task A_signed_in_session_survives_a_restart_on_the_same_data_folder()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        string cookie;
        await using (var first = new PortalHost(dataDirectory: dataDirectory))
        {
            using var client = first.CreateRealClient();
            var response = await SandboxSession.SignInAsync(client, SandboxSession.AdminId);
            cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("FederationPortal.Auth", StringComparison.Ordinal)).Split(';')[0];
        }

        await using var second = new PortalHost(dataDirectory: dataDirectory);
        using var raw = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(second.BaseAddress + "/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "audit");
        request.Headers.Add("Cookie", cookie);
        var page = await raw.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "portal.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dataDirectory, "keys")));
        Directory.Delete(dataDirectory, recursive: true);
    }
}
