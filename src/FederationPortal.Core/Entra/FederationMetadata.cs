using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace FederationPortal.Core.Entra;

/// <summary>An identity provider's SAML federation metadata, parsed, with the outcome of its signature check.</summary>
public sealed record FederationMetadata(
    string Xml,
    string EntityId,
    IReadOnlyList<SamlEndpoint> SingleSignOnServices,
    IReadOnlyList<SamlEndpoint> SingleLogoutServices,
    IReadOnlyList<MetadataCertificate> SigningCertificates,
    bool IsSigned,
    bool SignatureValid,
    string? SignatureProblem)
{
    /// <summary>The HTTP-POST single sign-on URL, else the first one.</summary>
    public string? SingleSignOnUrl =>
        SingleSignOnServices.FirstOrDefault(s => s.Binding == SamlEndpoint.HttpPostBinding)?.Location
        ?? SingleSignOnServices.FirstOrDefault()?.Location;
}

public sealed record SamlEndpoint(string Binding, string Location)
{
    public const string HttpPostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    public const string HttpRedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
}

/// <summary>A signing certificate named in the metadata.</summary>
public sealed record MetadataCertificate(
    string Subject,
    string Thumbprint,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    int KeySizeBits,
    byte[] RawData,
    bool IsExpired);

/// <summary>
/// Parses SAML 2.0 federation metadata (an <c>EntityDescriptor</c> with an <c>IDPSSODescriptor</c>) and verifies its
/// enveloped signature: the reference must cover the whole document (URI <c>#</c> + the root's ID) and the
/// signing key must be one of the IdP's signing certificates.
/// </summary>
public static class FederationMetadataParser
{
    public const string MetadataNamespace = "urn:oasis:names:tc:SAML:2.0:metadata";
    private const string DsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

    /// <exception cref="FormatException">The document is not SAML metadata with an IdP descriptor.</exception>
    public static FederationMetadata Parse(string xml, DateTimeOffset now)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"The federation metadata is not well-formed XML: {e.Message}", e);
        }

        var root = document.DocumentElement;
        if (root is null || root.LocalName != "EntityDescriptor" || root.NamespaceURI != MetadataNamespace)
        {
            throw new FormatException("The federation metadata's root is not a SAML 2.0 EntityDescriptor.");
        }

        var entityId = root.GetAttribute("entityID");
        if (string.IsNullOrEmpty(entityId))
        {
            throw new FormatException("The EntityDescriptor has no entityID.");
        }

        var idp = root.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "IDPSSODescriptor" && e.NamespaceURI == MetadataNamespace)
                  ?? throw new FormatException("The metadata has no IDPSSODescriptor.");

        var certificates = idp.ChildNodes.OfType<XmlElement>()
            .Where(e => e.LocalName == "KeyDescriptor" && e.NamespaceURI == MetadataNamespace && e.GetAttribute("use") is "" or "signing")
            .SelectMany(e => e.GetElementsByTagName("X509Certificate", DsigNamespace).OfType<XmlElement>())
            .Select(e => ToCertificate(e.InnerText, now))
            .DistinctBy(c => c.Thumbprint)
            .ToList();

        static IReadOnlyList<SamlEndpoint> Endpoints(XmlElement parent, string name) => parent.ChildNodes.OfType<XmlElement>()
            .Where(e => e.LocalName == name && e.NamespaceURI == MetadataNamespace)
            .Select(e => new SamlEndpoint(e.GetAttribute("Binding"), e.GetAttribute("Location")))
            .ToList();

        var (signed, valid, problem) = VerifySignature(document, root, certificates);
        return new FederationMetadata(
            xml, entityId, Endpoints(idp, "SingleSignOnService"), Endpoints(idp, "SingleLogoutService"), certificates, signed, valid, problem);
    }

    private static MetadataCertificate ToCertificate(string base64, DateTimeOffset now)
    {
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(string.Concat(base64.Where(c => !char.IsWhiteSpace(c))));
        }
        catch (FormatException e)
        {
            throw new FormatException("A signing certificate in the metadata is not valid base64.", e);
        }

        using var certificate = X509CertificateLoader.LoadCertificate(raw);
        using var rsa = certificate.GetRSAPublicKey();
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return new MetadataCertificate(
            certificate.Subject,
            certificate.Thumbprint,
            notBefore,
            notAfter,
            rsa?.KeySize ?? 0,
            raw,
            now > notAfter);
    }

    private static (bool Signed, bool Valid, string? Problem) VerifySignature(XmlDocument document, XmlElement root, IReadOnlyList<MetadataCertificate> idpCertificates)
    {
        var signatures = root.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "Signature" && e.NamespaceURI == DsigNamespace).ToList();
        if (signatures.Count == 0)
        {
            return (false, false, "The metadata is not signed.");
        }

        if (signatures.Count > 1)
        {
            return (true, false, "The metadata carries more than one signature.");
        }

        var signedXml = new SignedXml(document);
        signedXml.LoadXml(signatures[0]);
        var rootId = root.GetAttribute("ID");
        if (signedXml.SignedInfo?.References.Count != 1 || signedXml.SignedInfo.References[0] is not Reference reference
            || reference.Uri != "#" + rootId || string.IsNullOrEmpty(rootId))
        {
            return (true, false, "The signature does not cover the whole EntityDescriptor.");
        }

        // The key that signed must be one the metadata itself names as the IdP's signing key.
        var keyCertificates = signatures[0].GetElementsByTagName("X509Certificate", DsigNamespace).OfType<XmlElement>()
            .Select(e => Convert.FromBase64String(string.Concat(e.InnerText.Where(c => !char.IsWhiteSpace(c)))))
            .Concat(idpCertificates.Select(c => c.RawData))
            .ToList();
        foreach (var raw in keyCertificates)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(raw);
            using var key = certificate.GetRSAPublicKey();
            if (key is not null && signedXml.CheckSignature(key))
            {
                return idpCertificates.Any(c => c.Thumbprint == certificate.Thumbprint)
                    ? (true, true, null)
                    : (true, false, $"The metadata is signed by {certificate.Subject}, which is not one of the IdP's signing certificates.");
            }
        }

        return (true, false, "The signature does not verify with the IdP's signing certificates.");
    }

    /// <summary>SHA-256 of the certificate, hex, for display next to the SHA-1 thumbprint AWS and Entra show.</summary>
    public static string Sha256Fingerprint(byte[] rawCertificate) => Convert.ToHexString(SHA256.HashData(rawCertificate));
}
