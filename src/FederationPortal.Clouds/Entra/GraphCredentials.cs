using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Azure.Identity;
using FederationPortal.Core.Clouds;
using Microsoft.Kiota.Abstractions.Authentication;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// Client-credentials tokens from the sandbox tenant's token endpoint. MSAL (behind Azure.Identity) refuses http
/// authorities, so the sandbox gets this small credential; everything after the token is the same Graph SDK code.
/// </summary>
internal sealed class SandboxClientSecretCredential(HttpClient http, Uri tokenEndpoint, string clientId, string clientSecret, TimeProvider time) : TokenCredential
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private AccessToken cached;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached.Token is not null && cached.ExpiresOn > time.GetUtcNow().AddMinutes(5))
            {
                return cached;
            }

            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
                ["scope"] = string.Join(' ', requestContext.Scopes),
            });
            using var response = await http.PostAsync(tokenEndpoint, form, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
            if (!response.IsSuccessStatusCode || body?.AccessToken is null)
            {
                throw new AuthenticationFailedException($"The sandbox token endpoint answered {(int)response.StatusCode}: {body?.Error} {body?.ErrorDescription}");
            }

            cached = new AccessToken(body.AccessToken, time.GetUtcNow().AddSeconds(body.ExpiresIn));
            return cached;
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}

/// <summary>Bearer tokens for Graph from any Azure.Core credential, only ever sent to the Graph host.</summary>
internal sealed class TokenCredentialAccessTokenProvider(TokenCredential credential, Uri graphBaseUrl) : IAccessTokenProvider
{
    private static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];

    public AllowedHostsValidator AllowedHostsValidator { get; } = new([graphBaseUrl.Host]);

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        if (!AllowedHostsValidator.IsUrlHostValid(uri))
        {
            return string.Empty;
        }

        var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken);
        return token.Token;
    }
}

internal static class GraphCredentials
{
    /// <summary>Live: a client secret or certificate credential against the configured authority. Sandbox: the sandbox token endpoint.</summary>
    public static TokenCredential For(CloudEndpoints endpoints, HttpClient http, TimeProvider time)
    {
        if (endpoints.IsSandbox)
        {
            var tokenEndpoint = new Uri(endpoints.LoginBaseUrl, $"{endpoints.TenantId}/oauth2/v2.0/token");
            return new SandboxClientSecretCredential(http, tokenEndpoint, endpoints.ClientId, endpoints.ClientSecret ?? "", time);
        }

        var options = new ClientCertificateCredentialOptions { AuthorityHost = endpoints.LoginBaseUrl };
        if (!string.IsNullOrWhiteSpace(endpoints.ClientCertificatePath))
        {
            return string.IsNullOrEmpty(endpoints.ClientCertificatePassword)
                ? new ClientCertificateCredential(endpoints.TenantId, endpoints.ClientId, endpoints.ClientCertificatePath, options)
                : new ClientCertificateCredential(
                    endpoints.TenantId,
                    endpoints.ClientId,
                    System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(endpoints.ClientCertificatePath, endpoints.ClientCertificatePassword),
                    options);
        }

        if (string.IsNullOrWhiteSpace(endpoints.ClientSecret))
        {
            throw new InvalidOperationException("Portal:Entra needs either ClientSecret or CertificatePath for Live mode.");
        }

        return new ClientSecretCredential(endpoints.TenantId, endpoints.ClientId, endpoints.ClientSecret, new ClientSecretCredentialOptions { AuthorityHost = endpoints.LoginBaseUrl });
    }
}
