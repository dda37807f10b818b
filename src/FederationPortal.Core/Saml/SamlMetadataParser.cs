using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace FederationPortal.Core.Saml;

/// <summary>A signing certificate found in SAML metadata.</summary>
public sealed record SamlSigningCertificate(
    string Subject,
    string Thumbprint,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    int KeySizeBits,
    string Base64Der)
{
    public X509Certificate2 ToCertificate() => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Base64Der));
}

/// <summary>An identity provider's SAML metadata, as far as the portal and IAM care.</summary>
public sealed record SamlMetadata(
    string EntityId,
    IReadOnlyList<string> SingleSignOnUrls,
    IReadOnlyList<SamlSigningCertificate> SigningCertificates,
    DateTimeOffset? ValidUntil,
    bool IsSigned,
    bool? SignatureValid);

/// <summary>Why metadata was refused; <see cref="Code"/> names the rule.</summary>
public sealed record SamlMetadataProblem(string Code, string Message);

/// <summary>The outcome of parsing: the metadata or the problems that stop it being usable.</summary>
public sealed record SamlMetadataParseResult(SamlMetadata? Metadata, IReadOnlyList<SamlMetadataProblem> Problems)
{
    public bool IsValid => Metadata is not null && Problems.Count == 0;
}

/// <summary>
/// Parses SAML 2.0 IdP metadata (an Entra app's federation metadata, or any other IdP's) and checks it as IAM
/// does for a SAML provider: well-formed XML without DTD, an <c>EntityDescriptor</c> root, UTF-8 without BOM,
/// 1,000–10,000,000 characters, at least one signing certificate whose key is at least 1024 bits.
/// </summary>
public static class SamlMetadataParser
{
    public const int MinimumLength = 1_000;
    public const int MaximumLength = 10_000_000;
    public const int MinimumKeySizeBits = 1024;

    /// <summary>Parses a metadata document given as text (as the IAM API receives it).</summary>
    public static SamlMetadataParseResult Parse(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<SamlMetadataProblem>();
        if (document.Length > 0 && document[0] == '\uFEFF')
        {
            problems.Add(new("Bom", "The metadata starts with a byte order mark; IAM requires UTF-8 without BOM."));
            return new(null, problems);
        }

        if (document.Length is < MinimumLength or > MaximumLength)
        {
            problems.Add(new("Length", $"The metadata is {document.Length} characters; IAM accepts {MinimumLength:N0} to {MaximumLength:N0}."));
            return new(null, problems);
        }

        XmlDocument xml;
        try
        {
            xml = SamlXml.Load(document);
        }
        catch (XmlException e)
        {
            problems.Add(new("NotWellFormed", $"The metadata is not well-formed XML (DTDs are refused): {e.Message}"));
            return new(null, problems);
        }

        var declared = xml.FirstChild as XmlDeclaration;
        if (declared is not null && !string.IsNullOrEmpty(declared.Encoding)
            && !declared.Encoding.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !declared.Encoding.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new("Encoding", $"The metadata declares encoding '{declared.Encoding}'; IAM requires UTF-8."));
        }

        return ParseDocument(xml, problems);
    }

    /// <summary>Parses metadata bytes as downloaded; a UTF-8 BOM or invalid UTF-8 is a problem.</summary>
    public static SamlMetadataParseResult Parse(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
        {
            return new(null, [new("Bom", "The metadata starts with a UTF-8 byte order mark; IAM requires UTF-8 without BOM.")]);
        }

        try
        {
            return Parse(new UTF8Encoding(false, true).GetString(utf8));
        }
        catch (DecoderFallbackException)
        {
            return new(null, [new("Encoding", "The metadata is not valid UTF-8.")]);
        }
    }

    private static SamlMetadataParseResult ParseDocument(XmlDocument xml, List<SamlMetadataProblem> problems)
    {
        var root = xml.DocumentElement!;
        if (root.LocalName != "EntityDescriptor" || root.NamespaceURI != SamlXml.Metadata)
        {
            problems.Add(new("Root", $"The root element is <{root.Name}>; SAML metadata must have an EntityDescriptor root in {SamlXml.Metadata}."));
            return new(null, problems);
        }

        var ns = SamlXml.Namespaces(xml);
        var entityId = root.GetAttribute("entityID");
        if (string.IsNullOrWhiteSpace(entityId))
        {
            problems.Add(new("EntityId", "The EntityDescriptor has no entityID."));
        }

        var idp = root.SelectSingleNode("md:IDPSSODescriptor", ns) as XmlElement;
        if (idp is null)
        {
            problems.Add(new("IdpDescriptor", "The metadata has no IDPSSODescriptor."));
        }

        var ssoUrls = idp?.SelectNodes("md:SingleSignOnService/@Location", ns)?.Cast<XmlAttribute>().Select(a => a.Value).Distinct().ToList() ?? [];
        var certificates = new List<SamlSigningCertificate>();
        var keyNodes = idp?.SelectNodes("md:KeyDescriptor[not(@use) or @use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns);
        foreach (var node in keyNodes?.Cast<XmlElement>() ?? [])
        {
            var base64 = string.Concat(node.InnerText.Where(c => !char.IsWhiteSpace(c)));
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
                var keySize = certificate.GetRSAPublicKey()?.KeySize ?? certificate.GetECDsaPublicKey()?.KeySize ?? 0;
                if (certificates.Any(c => c.Thumbprint == certificate.Thumbprint))
                {
                    continue;
                }

                certificates.Add(new SamlSigningCertificate(
                    certificate.Subject, certificate.Thumbprint, new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
                    new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), keySize, base64));
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                problems.Add(new("Certificate", $"A signing certificate could not be read: {e.Message}"));
            }
        }

        if (certificates.Count == 0)
        {
            problems.Add(new("NoSigningCertificate", "The metadata has no signing certificate in its IDPSSODescriptor."));
        }

        foreach (var weak in certificates.Where(c => c.KeySizeBits < MinimumKeySizeBits))
        {
            problems.Add(new("WeakKey", $"The signing certificate {weak.Thumbprint} has a {weak.KeySizeBits}-bit key; IAM requires at least {MinimumKeySizeBits}."));
        }

        DateTimeOffset? validUntil = null;
        var validUntilText = root.GetAttribute("validUntil");
        if (validUntilText.Length > 0)
        {
            if (DateTimeOffset.TryParse(validUntilText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                validUntil = parsed;
            }
            else
            {
                problems.Add(new("ValidUntil", $"validUntil '{validUntilText}' is not a date."));
            }
        }

        var signature = root.SelectSingleNode("ds:Signature", ns) as XmlElement;
        bool? signatureValid = null;
        if (signature is not null)
        {
            var signer = signature.SelectSingleNode("ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns)?.InnerText;
            var verifyWith = new List<X509Certificate2>(certificates.Select(c => c.ToCertificate()));
            if (signer is not null)
            {
                try
                {
                    verifyWith.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(string.Concat(signer.Where(c => !char.IsWhiteSpace(c))))));
                }
                catch (Exception e) when (e is FormatException or CryptographicException)
                {
                    // The embedded certificate is unreadable: verify against the descriptor's certificates only.
                }
            }

            signatureValid = SamlXml.VerifyEnvelopedSignature(root, signature, verifyWith) is null;
            foreach (var certificate in verifyWith)
            {
                certificate.Dispose();
            }
        }

        var metadata = new SamlMetadata(entityId, ssoUrls, certificates, validUntil, signature is not null, signatureValid);
        return new(metadata, problems);
    }
}
