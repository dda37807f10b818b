using System.Net;
using System.Net.Http.Headers;
using FederationPortal.Core.Audit;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Security;

/// <summary>Sign-in attempts and failed API-token authentications are limited per address; a valid token never is.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Limit = 3;

    private readonly PortalHost host = new(new Dictionary<string, string?>
    {
        ["Portal:RateLimits:SignInAttempts"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:RateLimits:TokenFailures"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:RateLimits:Window"] = "00:10:00",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IAuditTrail Audit => host.Services.GetRequiredService<IAuditTrail>();

    [Fact]
    public async Task Failed_tokens_past_the_limit_get_429_audited_once_and_a_valid_token_still_works()
    {
        using var attacker = host.CreateRealClient();
        attacker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "fpt_guessed_value_0000000000000000");
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("api/environments", Cancel)).StatusCode);
        }

        var refused = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            refused.Add(await attacker.GetAsync("api/environments", Cancel));
        }

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.All(refused, r => Assert.InRange(int.Parse(r.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 600));
        Assert.Contains("a valid token still works", await refused[0].Content.ReadAsStringAsync(Cancel));

        using var automation = host.CreateRealClient();
        automation.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminApiToken);
        Assert.Equal(HttpStatusCode.OK, (await automation.GetAsync("api/environments", Cancel)).StatusCode);

        Assert.Equal(Limit, (await Audit.QueryAsync(new AuditQuery { Action = "auth.api-token" }, Cancel)).TotalCount);
        var throttled = Assert.Single((await Audit.QueryAsync(new AuditQuery { Action = "auth.throttled" }, Cancel)).Items);
        Assert.Equal(AuditOutcome.Denied, throttled.Outcome);
        Assert.Equal("GET /api/environments", throttled.TargetId);
    }

    [Fact]
    public async Task Sign_in_attempts_past_the_limit_get_429_with_retry_after_audited_once()
    {
        using var client = host.CreateRealClient();
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SandboxSession.SignInAsync(client, SandboxSession.NoRoleId)).StatusCode);
        }

        var refused = await SandboxSession.SignInAsync(client, SandboxSession.AdminId);
        var again = await SandboxSession.SignInAsync(client, SandboxSession.AdminId);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("audit", Cancel)).StatusCode); // not signed in
        Assert.Equal(Limit, (await Audit.QueryAsync(new AuditQuery { Action = "auth.signin" }, Cancel)).TotalCount);
        Assert.Equal(1, (await Audit.QueryAsync(new AuditQuery { Action = "auth.throttled" }, Cancel)).TotalCount);
    }

    [Fact]
    public async Task A_limit_out_of_range_stops_the_portal_at_start_naming_the_key()
    {
        await using var bad = new PortalHost(new Dictionary<string, string?> { ["Portal:RateLimits:TokenFailures"] = "0" });

        var failure = Assert.ThrowsAny<Exception>(() => bad.BaseAddress);

        Assert.Contains("Portal:RateLimits:TokenFailures", failure.ToString());
    }
}
