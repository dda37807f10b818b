using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FederationPortal.Sandbox.Storage;

namespace FederationPortal.Sandbox.Entra.Tenant;

/// <summary>
/// Token-signing key pairs of the emulated tenant: real RSA-2048 self-signed certificates. The private keys are kept
/// in the sandbox store and used only to sign metadata and SAML responses; Graph serves only the certificates.
/// </summary>
internal sealed class SigningKeyStore(SandboxDocumentStore store, TimeProvider time)
{
    public const string TenantKeyOwner = "tenant";

    /// <summary>Creates a certificate with this subject, valid from now until <paramref name="notAfter"/>.</summary>
    public X509Certificate2 Create(string ownerId, string subject, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var notBefore = time.GetUtcNow().AddMinutes(-1);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var pkcs12 = certificate.Export(X509ContentType.Pkcs12);
        store.Put(StoredSigningKey.Kind, certificate.Thumbprint, new StoredSigningKey
        {
            Thumbprint = certificate.Thumbprint,
            OwnerId = ownerId,
            Pkcs12 = Convert.ToBase64String(pkcs12),
        });
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>The certificate with its private key, for signing; null when unknown.</summary>
    public X509Certificate2? Load(string thumbprint)
        => store.Get<StoredSigningKey>(StoredSigningKey.Kind, thumbprint.ToUpperInvariant()) is { } key
            ? X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(key.Pkcs12), null, X509KeyStorageFlags.EphemeralKeySet)
            : null;

    /// <summary>The tenant's own signing key, used for apps without a SAML certificate of their own.</summary>
    public X509Certificate2 TenantKey()
    {
        var existing = store.List<StoredSigningKey>(StoredSigningKey.Kind).FirstOrDefault(k => k.OwnerId == TenantKeyOwner);
        if (existing is not null && Load(existing.Thumbprint) is { } loaded && loaded.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime)
        {
            return loaded;
        }

        using var created = Create(TenantKeyOwner, "CN=accounts.accesscontrol.windows.net", time.GetUtcNow().AddYears(2));
        return Load(created.Thumbprint)!;
    }

    public void DeleteOwnedBy(string ownerId)
    {
        foreach (var key in store.List<StoredSigningKey>(StoredSigningKey.Kind).Where(k => k.OwnerId == ownerId))
        {
            store.Delete(StoredSigningKey.Kind, key.Thumbprint);
        }
    }
}
