using System.Security.Claims;
using System.Text.Encodings.Web;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FederationPortal.Web.Security;

/// <summary>
/// <c>Authorization: Bearer fpt_…</c>: the portal's own API tokens, for automation. A revoked, expired or unknown
/// token is refused (401) and the refusal is audited.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    IAuditTrail audit) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

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

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"FederationPortal\"";
        return Task.CompletedTask;
    }
}
