using System.Security.Claims;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Identity.Web;

namespace FederationPortal.Web.Security;

public static class PortalAuthenticationExtensions
{
    public const string SignInPath = "/account/signin";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary>Picks the API-token handler for <c>Bearer fpt_…</c> requests, the browser scheme otherwise.</summary>
    public const string PortalScheme = "Portal";

    /// <summary>
    /// Sandbox: a cookie issued by the sandbox sign-in page. Live: OpenID Connect against Entra through
    /// Microsoft.Identity.Web, with the portal's app roles in the <c>roles</c> claim. Both: every page and
    /// endpoint needs a portal role unless marked anonymous; every change needs Admin.
    /// </summary>
    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, PortalOptions options, IConfiguration configuration)
    {
        if (options.Mode == PortalMode.Live)
        {
            services.AddAuthentication(options =>
                {
                    options.DefaultScheme = PortalScheme;
                    options.DefaultChallengeScheme = PortalScheme;
                })
                .AddPolicyScheme(PortalScheme, "API token or Entra", policy => policy.ForwardDefaultSelector = context =>
                    ApiTokenAuthenticationHandler.Carries(context.Request) ? ApiTokenAuthenticationHandler.SchemeName
                    : context.Request.Path.StartsWithSegments("/api") ? CookieAuthenticationDefaults.AuthenticationScheme
                    : OpenIdConnectDefaults.AuthenticationScheme)
                .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
                .AddMicrosoftIdentityWebApp(
                    identity =>
                    {
                        identity.Instance = options.Entra.Instance;
                        identity.TenantId = options.Entra.TenantId;
                        identity.ClientId = options.Entra.ClientId;
                        identity.ClientSecret = options.Entra.ClientSecret;
                        identity.CallbackPath = "/signin-oidc";
                        identity.SignedOutCallbackPath = "/signout-callback-oidc";
                        identity.TokenValidationParameters.RoleClaimType = PortalClaims.Roles;
                        identity.TokenValidationParameters.NameClaimType = "name";
                        identity.Events ??= new OpenIdConnectEvents();
                        identity.Events.OnTokenValidated += async context =>
                        {
                            var actor = PortalClaims.ToActor(context.Principal);
                            await context.HttpContext.RequestServices.GetRequiredService<IAuditTrail>().RecordAsync(new AuditEntry
                            {
                                ActorId = actor.Id,
                                ActorName = actor.DisplayName,
                                Action = "auth.signin",
                                Outcome = actor.CanRead ? AuditOutcome.Success : AuditOutcome.Denied,
                                ErrorMessage = actor.CanRead ? null : "The account holds no FederationPortal app role.",
                                Details = new { method = "oidc", roles = actor.Roles },
                            });
                        };
                    },
                    cookie => ConfigureCookie(cookie, options.Mode));
        }
        else
        {
            services.AddAuthentication(options =>
                {
                    options.DefaultScheme = PortalScheme;
                    options.DefaultChallengeScheme = PortalScheme;
                })
                .AddPolicyScheme(PortalScheme, "API token or sandbox cookie", policy => policy.ForwardDefaultSelector = context =>
                    ApiTokenAuthenticationHandler.Carries(context.Request) ? ApiTokenAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
                .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
                .AddCookie(cookie => ConfigureCookie(cookie, options.Mode));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.CanRead, policy => policy.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin, PortalRoles.Reader))
            .AddPolicy(PortalPolicies.CanWrite, policy => policy.RequireAuthenticatedUser().RequireRole(PortalRoles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(PortalRoles.Admin, PortalRoles.Reader).Build());

        return services;
    }

    /// <summary>
    /// Live mode's cookies are sent over HTTPS only. The sandbox also runs on plain http://localhost for a first try,
    /// where a Secure cookie would never come back.
    /// </summary>
    internal static CookieSecurePolicy SecurePolicy(PortalMode mode)
        => mode == PortalMode.Live ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, PortalMode mode)
    {
        cookie.Cookie.Name = "FederationPortal.Auth";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = SecurePolicy(mode);
        cookie.LoginPath = SignInPath;
        cookie.AccessDeniedPath = AccessDeniedPath;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.SlidingExpiration = true;
        cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        cookie.Events.OnRedirectToAccessDenied = async context =>
        {
            var actor = PortalClaims.ToActor(context.HttpContext.User);
            await context.HttpContext.RequestServices.GetRequiredService<IAuditTrail>().RecordAsync(new AuditEntry
            {
                ActorId = actor.Id,
                ActorName = actor.DisplayName,
                Action = "auth.access-denied",
                Outcome = AuditOutcome.Denied,
                TargetType = "Endpoint",
                TargetId = $"{context.Request.Method} {context.Request.Path}",
                ErrorMessage = "The signed-in account lacks the role this page or endpoint requires.",
            });
            await RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        };
    }

    /// <summary>
    /// A browser navigating to a page is sent to the sign-in (or access-denied) page; everything else gets the status
    /// code. Only a GET or HEAD outside <c>/api</c> and <c>/sandbox</c> is a page navigation: redirecting a POST or
    /// PATCH would make a client that follows redirects re-send it to the GET-only sign-in page, which redirects again
    /// with the whole URL in <c>ReturnUrl</c>, longer each time, until the server answers 414.
    /// </summary>
    internal static bool RedirectsToPage(HttpRequest request) => RedirectsToPage(request.Method, request.Path);

    internal static bool RedirectsToPage(string method, PathString path)
        => (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
           && !path.StartsWithSegments("/api")
           && !path.StartsWithSegments("/sandbox");

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (!RedirectsToPage(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Builds the cookie principal for a person chosen on the sandbox sign-in page.</summary>
    public static ClaimsPrincipal CreateSandboxPrincipal(SignInCandidate person)
    {
        var claims = new List<Claim>
        {
            new(PortalClaims.ObjectId, person.ObjectId),
            new(ClaimTypes.NameIdentifier, person.ObjectId),
            new("name", person.DisplayName),
            new(ClaimTypes.Name, person.DisplayName),
            new("preferred_username", person.UserPrincipalName),
            new("idp", "sandbox"),
        };
        claims.AddRange(person.PortalRoles.Select(role => new Claim(PortalClaims.Roles, role)));
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, "name", PortalClaims.Roles);
        return new ClaimsPrincipal(identity);
    }
}
