namespace FederationPortal.Core.Federation;

/// <summary>A real tenant signs people in only at a browser: the wizard asks for a pasted SAMLResponse instead.</summary>
public sealed class UnavailableSamlSignInSource : ISamlSignInSource
{
    public bool IsAvailable => false;

    public Task<string> GetSamlResponseAsync(string appId, string user, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("A real Entra tenant signs people in only at a browser: paste the SAMLResponse instead.");
}
