using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Integration;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Security;

/// <summary>Sign-out needs the page's antiforgery token; only page navigations are redirected; failures never leak.</summary>
public sealed partial class SessionHardeningTests : IAsyncLifetime
{
    private const string FailureText = "detail-that-must-not-leak-7f3a";

    private readonly PortalHost host = new(configureServices: services => services.AddSingleton<IEnvironmentStore, FailingEnvironmentStore>());

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cross_site_sign_out_without_the_token_is_refused_audited_and_the_session_survives()
    {
        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.AdminId);

        var response = await client.PostAsync("account/signout", new FormUrlEncodedContent([]), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Reload the page", await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("audit", Cancel)).StatusCode);
        var refusal = Assert.Single((await host.Services.GetRequiredService<IAuditTrail>()
            .QueryAsync(new AuditQuery { Action = "auth.signout" }, Cancel)).Items);
        Assert.Equal(AuditOutcome.Denied, refusal.Outcome);
        Assert.Equal("Adele Vance", refusal.ActorName);
    }

    [Fact]
    public async Task Every_form_post_without_the_antiforgery_token_is_refused()
    {
        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.AdminId);
        var posts = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => "/" + (e.RoutePattern.RawText ?? string.Empty).TrimStart('/'))
            .Where(path => !path.StartsWith("/api", StringComparison.Ordinal) && !path.StartsWith("/sandbox", StringComparison.Ordinal))
            .Select(path => RouteParameter().Replace(path, Guid.NewGuid().ToString()))
            .Distinct()
            .ToList();
        Assert.Contains("/account/signout", posts);
        Assert.Contains("/account/sandbox-signin", posts);

        foreach (var path in posts)
        {
            var response = await client.PostAsync(path.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userId"] = SandboxSession.ReaderId,
            }), Cancel);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path} without a token answered {(int)response.StatusCode}");
        }

        // Still Adele: no post signed her out or in as someone else.
        var auditPage = await client.GetStringAsync("audit", Cancel);
        Assert.Contains("Adele Vance", auditPage);
    }

    [Fact]
    public async Task A_sign_in_issues_a_new_session_cookie_and_a_planted_one_is_ignored()
    {
        using var client = host.CreateRealClient();
        client.DefaultRequestHeaders.Add("Cookie", "FederationPortal.Auth=planted-by-an-attacker");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("audit", Cancel)).StatusCode);
        client.DefaultRequestHeaders.Remove("Cookie");

        var reader = await SandboxSession.SignInAsync(client, SandboxSession.ReaderId);
        var first = AuthCookie(reader);
        var admin = await SandboxSession.SignInAsync(client, SandboxSession.AdminId);
        var second = AuthCookie(admin);

        Assert.NotEqual(first, second);
        Assert.DoesNotContain("planted-by-an-attacker", second);
    }

    private static string AuthCookie(HttpResponseMessage response)
        => Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("FederationPortal.Auth=", StringComparison.Ordinal)).Split(';')[0];

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task A_signed_out_page_navigation_is_sent_to_sign_in_with_its_return_url()
    {
        using var client = host.CreateRealClient();

        var response = await client.GetAsync("audit?page=2", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signin?ReturnUrl=%2Faudit%3Fpage%3D2", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("POST", "audit")]
    [InlineData("PATCH", "environments/anything")]
    [InlineData("GET", "api/environments")]
    [InlineData("DELETE", "api/environments/anything")]
    public async Task Anything_but_a_page_navigation_gets_401_and_no_redirect(string method, string path)
    {
        using var client = host.CreateRealClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_reader_posting_to_an_admin_endpoint_gets_403_not_a_redirect()
    {
        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.ReaderId);

        var response = await client.PostAsync("api/environments", new StringContent("{}", MediaTypeHeaderValue.Parse("application/json")), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task An_api_failure_answers_a_problem_without_the_exception_text()
    {
        using var client = host.CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminApiToken);

        var response = await client.GetAsync("api/environments", Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(FailureText, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task An_api_write_failure_answers_a_problem_and_never_redirects()
    {
        using var client = host.CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminApiToken);

        var response = await client.PostAsync("api/environments", new StringContent(
            """{"name":"Contoso","entraTenantId":"8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63","awsAccountId":"111122223333"}""",
            MediaTypeHeaderValue.Parse("application/json")), Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(FailureText, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task A_page_failure_is_shown_without_the_exception_text()
    {
        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.AdminId);

        var html = await client.GetStringAsync("", Cancel);

        Assert.Contains("data-testid=\"error-boundary\"", html);
        Assert.Contains("portal&#x27;s log", html);
        Assert.DoesNotContain(FailureText, html);
    }

    /// <summary>A database that fails every call with a message only a developer should see.</summary>
    private sealed class FailingEnvironmentStore : IEnvironmentStore
    {
        public Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default) => throw Failure();

        public Task<FederationEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken = default) => throw Failure();

        public Task<bool> NameExistsAsync(string name, Guid? exceptId, CancellationToken cancellationToken = default) => throw Failure();

        public Task AddAsync(FederationEnvironment environment, CancellationToken cancellationToken = default) => throw Failure();

        public Task UpdateAsync(FederationEnvironment environment, CancellationToken cancellationToken = default) => throw Failure();

        private static InvalidOperationException Failure() => new(FailureText);
    }
}
