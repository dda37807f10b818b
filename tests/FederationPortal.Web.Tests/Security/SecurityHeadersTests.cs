using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using FederationPortal.TestSupport;
using FederationPortal.Web.Security;
using FederationPortal.Web.Tests.Integration;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederationPortal.Web.Tests.Security;

/// <summary>The hardening headers on every kind of portal response, and none on the emulated clouds.</summary>
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private readonly PortalHost host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("account/signin", HttpStatusCode.OK)]           // a page
    [InlineData("audit", HttpStatusCode.Redirect)]              // a redirect to sign-in
    [InlineData("api/environments", HttpStatusCode.Unauthorized)] // an API refusal
    [InlineData("favicon.svg", HttpStatusCode.OK)]              // a static file
    [InlineData("healthz", HttpStatusCode.OK)]                  // the health check
    public async Task Every_kind_of_portal_response_carries_the_headers(string path, HttpStatusCode status)
    {
        using var client = host.CreateRealClient();

        var response = await client.GetAsync(path, Cancel);

        Assert.Equal(status, response.StatusCode);
        AssertHardened(response);
    }

    [Fact]
    public async Task Api_answers_and_signed_in_pages_carry_them_too()
    {
        using var api = host.CreateRealClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminApiToken);
        AssertHardened(await api.GetAsync("api/environments", Cancel));

        using var browser = await SandboxSession.SignedInClientAsync(host, SandboxSession.AdminId);
        var page = await browser.GetAsync("settings", Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertHardened(page);
    }

    [Fact]
    public async Task The_only_inline_script_is_the_import_map_with_this_responses_nonce()
    {
        using var client = host.CreateRealClient();

        var first = await client.GetAsync("account/signin", Cancel);
        var second = await client.GetAsync("account/signin", Cancel);

        var nonce = CspNonce(first);
        Assert.NotEqual(nonce, CspNonce(second));
        var html = await first.Content.ReadAsStringAsync(Cancel);
        var inline = ScriptTag().Matches(html).Select(m => m.Value).Where(tag => !tag.Contains(" src=", StringComparison.Ordinal)).ToList();
        var importMap = Assert.Single(inline);
        Assert.Contains("type=\"importmap\"", importMap);
        Assert.Contains($"nonce=\"{nonce}\"", importMap);
    }

    [Fact]
    public async Task The_emulated_clouds_answer_without_the_portals_headers()
    {
        using var client = host.CreateRealClient();

        var response = await client.GetAsync("sandbox/info", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_only()
    {
        Assert.Null(await HeadersForAsync(https: false, "Strict-Transport-Security"));
        Assert.Equal("max-age=31536000; includeSubDomains", await HeadersForAsync(https: true, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Live_mode_sends_cookies_over_https_only_and_lets_the_sign_out_form_reach_entra()
    {
        var tenant = Guid.NewGuid().ToString();
        await using var live = new PortalHost(
            new Dictionary<string, string?>
            {
                ["Portal:Mode"] = "Live",
                ["Portal:Entra:TenantId"] = tenant,
                ["Portal:Entra:ClientId"] = Guid.NewGuid().ToString(),
                ["Portal:Entra:ClientSecret"] = "not-used-in-this-test",
            },
            configureServices: services => ModeTests.WithoutEntraDiscovery(services, tenant));
        _ = live.BaseAddress;

        var cookie = live.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        Assert.Equal(CookieSecurePolicy.Always, cookie.Cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.Always, live.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.SecurePolicy);

        using var client = live.CreateRealClient();
        var response = await client.GetAsync("healthz", Cancel);
        Assert.Contains("form-action 'self' https://login.microsoftonline.com;", Csp(response));
        Assert.Equal(CookieSecurePolicy.SameAsRequest, host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie.SecurePolicy);
    }

    private static void AssertHardened(HttpResponseMessage response)
    {
        var csp = Csp(response);
        Assert.Contains("default-src 'self'", csp);
        Assert.Matches("script-src 'self' 'nonce-[0-9a-f]{32}';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Single(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Single(response, "Permissions-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain http");
    }

    private static string Csp(HttpResponseMessage response) => Single(response, "Content-Security-Policy");

    private static string Single(HttpResponseMessage response, string name)
        => Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : [], v => v.Length > 0);

    private static string CspNonce(HttpResponseMessage response) => NonceSource().Match(Csp(response)).Groups[1].Value;

    /// <summary>Runs the middleware alone on a request of the given scheme and reads one header it set.</summary>
    private async Task<string?> HeadersForAsync(bool https, string header)
    {
        var context = new DefaultHttpContext { RequestServices = host.Services };
        context.Request.Scheme = https ? "https" : "http";
        context.Request.Path = "/";
        var response = new StartingResponseFeature();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(response);
        var middleware = ActivatorUtilities.CreateInstance<SecurityHeaders>(host.Services, (RequestDelegate)(_ => Task.CompletedTask));

        await middleware.InvokeAsync(context);
        await response.StartAsync();

        return context.Response.Headers.TryGetValue(header, out var value) ? value.ToString() : null;
    }

    private sealed class StartingResponseFeature : Microsoft.AspNetCore.Http.Features.HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => starting.Add((callback, state));

        public async Task StartAsync()
        {
            foreach (var (callback, state) in starting)
            {
                await callback(state);
            }
        }
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceSource();
}
