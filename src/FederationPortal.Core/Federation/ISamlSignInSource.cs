using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Saml;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Federation;

/// <summary>Asks an identity provider for the SAML response it would post to AWS for a user (the sandbox tenant can; a real one needs a browser).</summary>
public interface ISamlSignInSource
{
    /// <summary>True when responses can be fetched without a person at a browser (Sandbox mode).</summary>
    bool IsAvailable { get; }

    /// <summary>The base64 SAMLResponse for <paramref name="user"/> signing in to the app; throws <see cref="SamlSignInRefusedException"/> with Entra's AADSTS code when Entra refuses.</summary>
    Task<string> GetSamlResponseAsync(string appId, string user, CancellationToken cancellationToken = default);
}
