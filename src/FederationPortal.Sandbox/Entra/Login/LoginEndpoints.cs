using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FederationPortal.Sandbox.Entra.Graph;
using FederationPortal.Sandbox.Entra.Tenant;
using FederationPortal.Sandbox.People;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Login;

/// <summary>
/// <c>/sandbox/login/{tenantId}/…</c>: the client-credentials token endpoint, the per-app federation metadata and
/// the SAML sign-in endpoint (IdP-initiated: <c>?appid=…&amp;user=…</c>), answering as login.microsoftonline.com does.
/// </summary>
internal static partial class LoginEndpoints
{
    public static void Map(RouteGroupBuilder login)
    {
        login.MapPost("/oauth2/v2.0/token", Token);
        login.MapGet("/federationmetadata/2007-06/federationmetadata.xml", Metadata);
        login.MapGet("/saml2", SignIn);
        login.MapPost("/saml2", SignIn);

        // Anything else answers as login.microsoftonline.com does: an AADSTS error, never the portal's sign-in redirect.
        login.MapGet("/oauth2/v2.0/token", (TimeProvider time) => AadError(time, 400, "invalid_request", 900561,
            "The endpoint only accepts POST, OPTIONS requests. Received a GET request."));
        login.Map("/{**path}", (HttpContext context, TimeProvider time) => AadError(time, 404, "invalid_request", 900561,
            $"The endpoint '{context.Request.Path}' does not exist: this tenant serves oauth2/v2.0/token, federationmetadata/2007-06/federationmetadata.xml and saml2."))
            .Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = 1);
    }

    /// <summary>Entra's error body: <c>error</c>, <c>error_description</c> starting <c>AADSTS{code}:</c>, <c>error_codes</c>, ids and timestamp.</summary>
    private static IResult AadError(TimeProvider time, int status, string error, int code, string description) => Results.Json(new JsonObject
    {
        ["error"] = error,
        ["error_description"] = $"AADSTS{code}: {description} Trace ID: {Guid.NewGuid()} Correlation ID: {Guid.NewGuid()} Timestamp: {time.GetUtcNow():yyyy-MM-dd HH:mm:ssZ}",
        ["error_codes"] = new JsonArray(code),
        ["timestamp"] = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["trace_id"] = Guid.NewGuid().ToString(),
        ["correlation_id"] = Guid.NewGuid().ToString(),
    }, statusCode: status);

    private static async Task<IResult> Token(HttpContext context, string tenantId, IOptions<SandboxOptions> options, SandboxTokenService tokens, SandboxTokenThrottle throttle, TimeProvider time)
    {
        var sandbox = options.Value;
        IResult Fail(int status, string error, int code, string description) => AadError(time, status, error, code, description);

        if (!string.Equals(tenantId, sandbox.TenantId, StringComparison.OrdinalIgnoreCase) && !string.Equals(tenantId, sandbox.TenantDomain, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(400, "invalid_request", 90002, $"Tenant '{tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
        }

        if (!context.Request.HasFormContentType)
        {
            return Fail(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            return Fail(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        }

        var clientId = form["client_id"].ToString();
        if (!throttle.TryAcquire(clientId))
        {
            // Entra's answer to a client that does not cache its tokens: no AADSTS body, just the status and when to retry.
            context.Response.Headers.RetryAfter = SandboxTokenThrottle.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Text("Too Many Requests", "text/plain", statusCode: StatusCodes.Status429TooManyRequests);
        }

        if (clientId != sandbox.ClientId)
        {
            return Fail(400, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{sandbox.TenantDomain}'.");
        }

        if (form["client_secret"] != sandbox.ClientSecret)
        {
            return Fail(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.");
        }

        var scope = form["scope"].ToString();
        if (!scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("https://graph.microsoft.com/.default", StringComparer.OrdinalIgnoreCase))
        {
            return Fail(400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }

        var (token, expiresIn) = tokens.Issue(clientId);
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
            ["ext_expires_in"] = expiresIn,
            ["access_token"] = token,
        });
    }

    private static IResult Metadata(HttpContext context, string tenantId, IOptions<SandboxOptions> options, SandboxEntraTenant tenant)
    {
        if (!string.Equals(tenantId, options.Value.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text($"AADSTS90002: Tenant '{tenantId}' not found.", "text/plain", statusCode: 400);
        }

        StoredServicePrincipal? sp = null;
        if (context.Request.Query["appid"].FirstOrDefault() is { Length: > 0 } appId)
        {
            sp = tenant.ServicePrincipalByAppId(appId);
        }

        using var certificate = tenant.ActiveSigningCertificate(sp);
        var document = SamlIssuer.Metadata(options.Value.TenantId, LoginBase(context), certificate);
        return Results.Bytes(SamlIssuer.ToUtf8(document), "application/xml; charset=utf-8");
    }

    private static async Task<IResult> SignIn(
        HttpContext context, string tenantId, IOptions<SandboxOptions> options, SandboxEntraTenant tenant, EntraActivityLog activity, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("FederationPortal.Sandbox.Entra.SamlSignIn");
        var sandbox = options.Value;
        var now = tenant.Time.GetUtcNow();
        var parameters = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        string? Param(string name) => parameters?[name].FirstOrDefault() ?? context.Request.Query[name].FirstOrDefault();

        if (!string.Equals(tenantId, sandbox.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return ErrorPage(90002, $"Tenant '{tenantId}' not found.");
        }

        // SP-initiated: the AuthnRequest names the app by its issuer (the identifier). IdP-initiated: appid.
        string? inResponseTo = null;
        string? requestIssuer = null;
        if (Param("SAMLRequest") is { Length: > 0 } samlRequest)
        {
            (inResponseTo, requestIssuer) = ReadAuthnRequest(samlRequest);
        }

        var appId = Param("appid");
        var app = appId is not null ? tenant.ApplicationByAppId(appId)
            : requestIssuer is not null ? tenant.Applications.FirstOrDefault(a => a.IdentifierUris.Contains(requestIssuer, StringComparer.OrdinalIgnoreCase))
            : null;
        if (app is null)
        {
            return ErrorPage(700016, $"Application with identifier '{appId ?? requestIssuer}' was not found in the directory '{sandbox.TenantDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.");
        }

        var sp = tenant.ServicePrincipalByAppId(app.AppId);
        if (sp is null || sp.PreferredSingleSignOnMode != "saml")
        {
            return ErrorPage(750054, $"The application '{app.DisplayName}' ('{app.AppId}') is not configured for SAML-based single sign-on.");
        }

        var userKey = Param("user") ?? Param("login_hint");
        var user = userKey is null ? null : tenant.Directory.FindUser(userKey);
        if (user is null)
        {
            return Record(50034, $"The user account {userKey} does not exist in the '{sandbox.TenantDomain}' directory. To sign into this application, the account must be added to the directory.");
        }

        if (!user.AccountEnabled)
        {
            return Record(50057, "The user account is disabled.");
        }

        if (sp.AppRoleAssignmentRequired && !tenant.IsAssigned(sp, user))
        {
            return Record(50105, $"Your administrator has configured the application {app.DisplayName} ('{app.AppId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '{user.UserPrincipalName}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.");
        }

        var destination = app.RedirectUris.FirstOrDefault();
        if (destination is null)
        {
            return Record(500113, "No reply address is registered for the application.");
        }

        var audience = app.IdentifierUris.FirstOrDefault() is { } identifier ? InstanceSuffix().Replace(identifier, "") : app.AppId;
        var policy = sp.ClaimsMappingPolicyIds.Count > 0
            ? ClaimsMappingPolicyValidator.Validate(tenant.ClaimsMappingPolicy(sp.ClaimsMappingPolicyIds[0]).Definition)
            : null;
        var roles = tenant.RolesOf(sp, user).Where(r => r.Value is not null).Select(r => r.Value!).Distinct(StringComparer.Ordinal).ToList();
        var claims = new SamlIssuer.Claims(user.UserPrincipalName, SamlIssuer.ResolveAttributes(sandbox.TenantId, user, roles, policy));
        using var certificate = tenant.ActiveSigningCertificate(sp);
        var response = SamlIssuer.Response(sandbox.TenantId, destination, audience, inResponseTo, claims, now, certificate);
        var encoded = Convert.ToBase64String(SamlIssuer.ToUtf8(response));
        activity.RecordSignIn(NewSignIn(user.UserPrincipalName, user));
        logger.LogInformation("Sandbox SAML sign-in of {User} to {AppId} with {RoleCount} roles", user.UserPrincipalName, app.AppId, roles.Count);

        var relayState = Param("RelayState") ?? sp.RelayState;
        const string AutoSubmit = "window.setTimeout(function(){document.forms[0].submit();}, 0);";
        var html = $"""
            <html><head><title>Working...</title></head><body>
            <form method="POST" name="hiddenform" action="{WebUtility.HtmlEncode(destination)}">
            <input type="hidden" name="SAMLResponse" value="{encoded}" />
            {(relayState is null ? "" : $"<input type=\"hidden\" name=\"RelayState\" value=\"{WebUtility.HtmlEncode(relayState)}\" />")}
            <noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>
            </form><script language="javascript">{AutoSubmit}</script></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");

        // Each sign-in to a known SAML app, successful or refused with an AADSTS code, lands in auditLogs/signIns.
        StoredSignIn NewSignIn(string userPrincipalName, SandboxUser? signedIn) => new()
        {
            Id = Guid.NewGuid().ToString(),
            CreatedDateTime = now,
            UserPrincipalName = userPrincipalName,
            UserDisplayName = signedIn?.DisplayName,
            UserId = signedIn?.Id,
            AppId = app.AppId,
            AppDisplayName = app.DisplayName,
            IpAddress = context.Connection.RemoteIpAddress?.ToString(),
            CorrelationId = Guid.NewGuid().ToString(),
            UserAgent = context.Request.Headers.UserAgent.ToString(),
        };

        IResult Record(int code, string message)
        {
            var signIn = NewSignIn(user?.UserPrincipalName ?? userKey ?? "", user);
            signIn.ErrorCode = code;
            signIn.FailureReason = message;
            signIn.AdditionalDetails = code switch
            {
                50105 => "The user is not assigned to a role for the application: assign the user, or a group they belong to, to the application.",
                50034 => "The user account does not exist in the directory.",
                50057 => "The user account is disabled.",
                _ => null,
            };
            activity.RecordSignIn(signIn);
            return ErrorPage(code, message);
        }
    }

    private static IResult ErrorPage(int code, string message)
    {
        var html = $"""
            <html><head><title>Sign in to your account</title></head><body>
            <div id="error"><h1>Sorry, but we're having trouble signing you in.</h1>
            <p class="error-code">AADSTS{code}: {WebUtility.HtmlEncode(message)}</p></div></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, 400);
    }

    private static (string? Id, string? Issuer) ReadAuthnRequest(string encoded)
    {
        try
        {
            var bytes = Convert.FromBase64String(encoded);
            string xml;
            try
            {
                using var inflater = new System.IO.Compression.DeflateStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
                using var reader = new StreamReader(inflater, Encoding.UTF8);
                xml = reader.ReadToEnd();
            }
            catch (InvalidDataException)
            {
                xml = Encoding.UTF8.GetString(bytes);
            }

            var document = new System.Xml.XmlDocument { XmlResolver = null };
            document.LoadXml(xml);
            var issuer = document.GetElementsByTagName("Issuer", SamlIssuer.AssertionNs).OfType<System.Xml.XmlElement>().FirstOrDefault()?.InnerText.Trim();
            return (document.DocumentElement?.GetAttribute("ID"), issuer);
        }
        catch (Exception e) when (e is FormatException or System.Xml.XmlException)
        {
            return (null, null);
        }
    }

    private static string LoginBase(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/sandbox/login";

    [GeneratedRegex("#\\d+$")]
    private static partial Regex InstanceSuffix();
}
