using System.Security.Claims;
using System.Text.Encodings.Web;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FederationPortal.Web.Security;

/// <summary>
/// <c>Authorization: Bearer fpt_…</c>: the portal's own API tokens, for automation. A revoked, expired or unknown
/// token is refused (401) and the refusal is audited; past <see cref="RateLimitOptions.TokenFailures"/> unknown tokens
/// from one address in a window, refusals become 429 with <c>Retry-After</c>, audited once per window. A valid token is
/// checked first and always accepted.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    AttemptThrottle throttle,
    IAuditTrail audit) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    private const string ThrottledKey = "FederationPortal.ApiTokenThrottled";

    public static bool Carries(HttpRequest request)
        => request.Headers.Authorization.FirstOrDefault() is { } header
           && header.StartsWith("Bearer " + ApiTokenService.TokenPrefix, StringComparison.Ordinal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Carries(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var value = Request.Headers.Authorization.First()!["Bearer ".Length..].Trim();
        var (token, refusal) = await tokens.AuthenticateAsync(value, Context.RequestAborted);
        if (token is null || refusal is not null)
        {
            // Guesses are limited; a revoked or expired token is a known one, and each of its uses stays audited.
            if (token is null && throttle.CountTokenFailure(AttemptThrottle.AddressOf(Context)) is { } retryAfter)
            {
                Context.Items[ThrottledKey] = retryAfter;
                return AuthenticateResult.Fail("Too many failed API-token authentications from this address.");
            }

            await audit.RecordAsync(new AuditEntry
            {
                ActorId = token is null ? "token:unknown" : $"token:{token.Id}",
                ActorName = token is null ? "Unknown API token" : $"API token '{token.Name}'",
                Action = "auth.api-token",
                Outcome = AuditOutcome.Denied,
                TargetType = "Endpoint",
                TargetId = $"{Request.Method} {Request.Path}",
                ErrorMessage = refusal,
            });
            return AuthenticateResult.Fail(refusal ?? "Unknown API token.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(PortalClaims.ObjectId, $"token:{token.Id}"),
                new Claim("name", $"API token '{token.Name}'"),
                new Claim(PortalClaims.Roles, token.Role),
            ],
            SchemeName,
            "name",
            PortalClaims.Roles);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledKey] is TimeSpan retryAfter)
        {
            await throttle.RefuseAsync(Context, AttemptThrottle.TokenFailure, retryAfter, audit);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"FederationPortal\"";
    }
}
