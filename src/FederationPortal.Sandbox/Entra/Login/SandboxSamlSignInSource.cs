using System.Net;
using System.Text.RegularExpressions;
using FederationPortal.Core.Clouds;
using FederationPortal.Core.Federation;

namespace FederationPortal.Sandbox.Entra.Login;

/// <summary>
/// Signs a user in at the emulated tenant's IdP-initiated SAML endpoint, as a browser would, and reads the
/// SAMLResponse from the auto-post form. Only the emulator can do this: a real tenant needs a person at a browser.
/// </summary>
internal sealed partial class SandboxSamlSignInSource(ICloudEndpointsProvider endpoints, IHttpClientFactory httpClients) : ISamlSignInSource
{
    public const string HttpClientName = nameof(SandboxSamlSignInSource);

    public bool IsAvailable => true;

    public async Task<string> GetSamlResponseAsync(string appId, string user, CancellationToken cancellationToken = default)
    {
        var e = endpoints.GetEndpoints();
        var url = new Uri(e.LoginBaseUrl, $"{e.TenantId}/saml2?appid={Uri.EscapeDataString(appId)}&user={Uri.EscapeDataString(user)}");
        using var client = httpClients.CreateClient(HttpClientName);
        // The page's HTML whatever the status: the IdP's error pages are answers too.
        using var response = await client.GetAsync(url, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (SamlResponseField().Match(html) is { Success: true } field)
        {
            return WebUtility.HtmlDecode(field.Groups[1].Value);
        }

        if (ErrorCode().Match(html) is { Success: true } error)
        {
            throw new SamlSignInRefusedException($"AADSTS{error.Groups[1].Value}", WebUtility.HtmlDecode(error.Groups[2].Value));
        }

        throw new InvalidOperationException("The sandbox sign-in page returned neither a SAML response nor an AADSTS error.");
    }

    [GeneratedRegex("name=\"SAMLResponse\" value=\"([^\"]+)\"")]
    private static partial Regex SamlResponseField();

    [GeneratedRegex("AADSTS(\\d+): ([^<]+)")]
    private static partial Regex ErrorCode();
}
