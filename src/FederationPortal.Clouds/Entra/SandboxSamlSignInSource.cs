using System.Net;
using System.Text.RegularExpressions;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// Signs a user in at the sandbox tenant's IdP-initiated SAML endpoint, as a browser would, and reads the
/// SAMLResponse from the auto-post form. A real tenant needs a person at a browser, so in Live mode this is unavailable
/// and the wizard asks for a pasted response instead.
/// </summary>
internal sealed partial class SandboxSamlSignInSource(ICloudEndpointsProvider endpoints, IHttpClientFactory httpClients) : ISamlSignInSource
{
    public bool IsAvailable => endpoints.GetEndpoints().IsSandbox;

    public async Task<string> GetSamlResponseAsync(string appId, string user, CancellationToken cancellationToken = default)
    {
        var e = endpoints.GetEndpoints();
        if (!e.IsSandbox)
        {
            throw new InvalidOperationException("A real Entra tenant signs people in only at a browser: paste the SAMLResponse instead.");
        }

        var url = new Uri(e.LoginBaseUrl, $"{e.TenantId}/saml2?appid={Uri.EscapeDataString(appId)}&user={Uri.EscapeDataString(user)}");
        using var client = httpClients.CreateClient(nameof(SandboxSamlSignInSource));
        var html = await client.GetStringOrErrorAsync(url, cancellationToken);
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

internal static class HttpClientPageExtensions
{
    /// <summary>The page's HTML whatever the status: the IdP's error pages are answers too.</summary>
    public static async Task<string> GetStringOrErrorAsync(this HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
