using FederationPortal.Core.Audit;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Security;
using FederationPortal.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;

namespace FederationPortal.Web.Endpoints;

/// <summary>Sign-in and sign-out. Microsoft.Identity.Web.UI is not available here, so these are the few endpoints it would add.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app, PortalMode mode)
    {
        var account = app.MapGroup("/account").AllowAnonymous();

        if (mode == PortalMode.Live)
        {
            // Live: Entra's own sign-in page. The sandbox page (a Razor component at the same path) is not routed in Live.
            // Ordered before the sandbox sign-in component, which shares the path but is only for Sandbox mode.
            account.MapGet("/signin", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
                .WithOrder(-1)
                .RequireRateLimiting(AttemptThrottle.SignIn);
        }
        else
        {
            account.MapPost("/sandbox-signin", SandboxSignInAsync).RequireRateLimiting(AttemptThrottle.SignIn);
        }

        account.MapPost("/signout", async (HttpContext context, IAuditTrail audit, IAntiforgery antiforgery) =>
        {
            // Without form fields to bind, the endpoint is not checked for an antiforgery token by itself: check it
            // here, or any site could sign the user out with a cross-site form post.
            var actor = PortalClaims.ToActor(context.User);
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await audit.RecordAsync(new AuditEntry
                {
                    ActorId = actor.Id,
                    ActorName = actor.DisplayName,
                    Action = "auth.signout",
                    Outcome = AuditOutcome.Denied,
                    ErrorMessage = "The sign-out request carried no valid antiforgery token (a cross-site form or an expired page).",
                });
                return Results.BadRequest(new { error = "The sign-out form has expired. Reload the page and sign out again." });
            }

            if (actor != PortalActor.Anonymous)
            {
                await audit.RecordAsync(new AuditEntry
                {
                    ActorId = actor.Id,
                    ActorName = actor.DisplayName,
                    Action = "auth.signout",
                    Outcome = AuditOutcome.Success,
                });
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (mode == PortalMode.Live)
            {
                return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]);
            }

            return Results.LocalRedirect("/account/signin?signedOut=true");
        });
    }

    private static async Task<IResult> SandboxSignInAsync(
        HttpContext context,
        [FromForm] string userId,
        [FromForm] string? returnUrl,
        IPortalSignInDirectory directory,
        IAuditTrail audit)
    {
        var person = await directory.FindAsync(userId ?? string.Empty, context.RequestAborted);
        string? refusal = person switch
        {
            null => "unknown-user",
            { AccountEnabled: false } => "account-disabled",
            { PortalRoles.Count: 0 } => "no-role",
            _ => null,
        };

        await audit.RecordAsync(new AuditEntry
        {
            ActorId = person?.ObjectId ?? userId ?? "unknown",
            ActorName = person?.DisplayName ?? "Unknown sandbox user",
            Action = "auth.signin",
            Outcome = refusal is null ? AuditOutcome.Success : AuditOutcome.Denied,
            TargetType = "SandboxUser",
            TargetId = person?.UserPrincipalName,
            ErrorMessage = refusal switch
            {
                "unknown-user" => "No such user in the sandbox directory.",
                "account-disabled" => "The account is disabled in the sandbox directory.",
                "no-role" => "The account holds no FederationPortal app role.",
                _ => null,
            },
            Details = new { method = "sandbox", roles = person?.PortalRoles ?? [] },
        });

        if (refusal is not null || person is null)
        {
            return Results.LocalRedirect($"/account/signin?error={refusal}");
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalAuthenticationExtensions.CreateSandboxPrincipal(person));
        return Results.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    /// <summary>
    /// Only local paths: an open redirect after sign-in is a phishing aid. <c>//host</c> and <c>/\host</c> are
    /// protocol-relative to a browser, and a browser drops tabs and newlines from a URL, so <c>/&lt;tab&gt;/host</c> is too.
    /// </summary>
    internal static string SafeReturnUrl(string? returnUrl)
        => !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
           && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/";
}
