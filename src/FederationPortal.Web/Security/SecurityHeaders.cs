using System.Security.Cryptography;
using FederationPortal.Core.Configuration;
using Microsoft.Extensions.Options;

namespace FederationPortal.Web.Security;

/// <summary>
/// The browser-facing hardening headers, on every portal response (pages, redirects, API answers, static files,
/// errors): a Content-Security-Policy that fits Blazor Server (scripts only from the portal, plus the one inline
/// import map carrying this response's nonce; the circuit's WebSocket to the portal itself), no MIME sniffing, no
/// framing, a strict referrer, no powerful browser features, and HSTS over HTTPS. The emulated clouds under
/// <c>/sandbox</c> answer as the clouds do and get none of this (their SAML sign-in page posts to STS by script).
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next, IOptions<PortalOptions> options)
{
    private const string NonceKey = "FederationPortal.CspNonce";

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/sandbox"))
        {
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)); // 128 bits; hex needs no HTML escaping
            context.Items[NonceKey] = nonce;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce, options.Value);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), clipboard-read=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    }

    /// <summary>The nonce of this response, for the one inline script the portal renders (the import map).</summary>
    public static string? Nonce(HttpContext? context) => context?.Items[NonceKey] as string;

    /// <summary>
    /// Styles may be inline (MudBlazor sets style attributes); scripts may not. <c>form-action</c> also governs the
    /// redirect after a form post, so Live mode allows Entra's sign-out page after the sign-out form.
    /// </summary>
    internal static string ContentSecurityPolicy(string nonce, PortalOptions options)
    {
        var formAction = options.Mode == PortalMode.Live && Uri.TryCreate(options.Entra.Instance, UriKind.Absolute, out var entra)
            ? $"'self' {entra.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
        return string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            $"form-action {formAction}",
            "frame-ancestors 'none'");
    }
}
