using System.Text;
using FederationPortal.Core.Saml;

namespace FederationPortal.Core.Entra;

/// <summary>An Entra app's SAML federation metadata as downloaded, parsed, with its signature checked and its certificates dated.</summary>
public sealed record FederationMetadata(
    string Xml,
    string EntityId,
    IReadOnlyList<string> SingleSignOnUrls,
    IReadOnlyList<MetadataCertificate> SigningCertificates,
    bool IsSigned,
    bool SignatureValid,
    IReadOnlyList<string> Problems)
{
    public string? SingleSignOnUrl => SingleSignOnUrls.FirstOrDefault();

    /// <summary>
    /// Parses downloaded metadata with the shared <see cref="SamlMetadataParser"/> (the rules IAM applies) and marks each
    /// certificate expired or not at <paramref name="now"/>.
    /// </summary>
    /// <exception cref="FormatException">The document is not usable SAML IdP metadata.</exception>
    public static FederationMetadata Parse(byte[] utf8, DateTimeOffset now)
    {
        var result = SamlMetadataParser.Parse(utf8);
        if (result.Metadata is not { } metadata)
        {
            throw new FormatException("The federation metadata is not usable: " + string.Join(" ", result.Problems.Select(p => p.Message)));
        }

        // The shared parser also accepts a signature by the certificate embedded in the signature itself; for the
        // portal, the metadata must be signed by one of the signing certificates it publishes.
        var signedByIdp = false;
        if (metadata.SignatureValid == true)
        {
            var document = SamlXml.Load(utf8);
            var signature = document.DocumentElement!.ChildNodes.OfType<System.Xml.XmlElement>()
                .First(e => e.LocalName == "Signature" && e.NamespaceURI == SamlXml.DSig);
            var certificates = metadata.SigningCertificates.Select(c => c.ToCertificate()).ToList();
            try
            {
                signedByIdp = SamlXml.VerifyEnvelopedSignature(document.DocumentElement!, signature, certificates) is null;
            }
            finally
            {
                certificates.ForEach(c => c.Dispose());
            }
        }

        return new FederationMetadata(
            new UTF8Encoding(false).GetString(utf8),
            metadata.EntityId,
            metadata.SingleSignOnUrls,
            metadata.SigningCertificates.Select(c => new MetadataCertificate(c.Subject, c.Thumbprint, c.NotBefore, c.NotAfter, c.KeySizeBits, c.Base64Der, now >= c.NotAfter)).ToList(),
            metadata.IsSigned,
            signedByIdp,
            result.Problems.Select(p => $"{p.Code}: {p.Message}").ToList());
    }
}

/// <summary>A signing certificate named in the metadata, with whether it has expired.</summary>
public sealed record MetadataCertificate(
    string Subject,
    string Thumbprint,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    int KeySizeBits,
    string Base64Der,
    bool IsExpired);
