using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace FederationPortal.Core.Saml;

/// <summary>Namespaces and hardened XML loading shared by the SAML metadata parser and the response validator.</summary>
public static class SamlXml
{
    public const string Metadata = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string DSig = SignedXml.XmlDsigNamespaceUrl;
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string Bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    /// <summary>Loads XML with DTDs prohibited and no resolver (no XXE, no entity expansion), whitespace preserved for signatures.</summary>
    public static XmlDocument Load(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            IgnoreProcessingInstructions = false,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        document.Load(reader);
        return document;
    }

    /// <summary>Loads UTF-8 bytes (a BOM is tolerated here; callers that must refuse one check first).</summary>
    public static XmlDocument Load(byte[] utf8) => Load(new UTF8Encoding(false, true).GetString(utf8).TrimStart('\uFEFF'));

    internal static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("md", Metadata);
        ns.AddNamespace("saml", Assertion);
        ns.AddNamespace("samlp", Protocol);
        ns.AddNamespace("ds", DSig);
        return ns;
    }

    /// <summary>
    /// Verifies the enveloped signature that is a direct child of <paramref name="signedElement"/>: exactly one
    /// reference, whose URI names that very element's <c>ID</c> (no wrapping), only enveloped + (exclusive) c14n
    /// transforms, and a valid signature by one of <paramref name="certificates"/>. Returns null when valid, else why not.
    /// </summary>
    internal static string? VerifyEnvelopedSignature(XmlElement signedElement, XmlElement signature, IReadOnlyList<X509Certificate2> certificates)
    {
        var id = signedElement.GetAttribute("ID");
        if (string.IsNullOrEmpty(id))
        {
            return $"the signed element <{signedElement.LocalName}> has no ID attribute";
        }

        var document = signedElement.OwnerDocument;
        var sameId = document.SelectNodes($"//*[@ID='{id.Replace("'", "", StringComparison.Ordinal)}' or @Id='{id.Replace("'", "", StringComparison.Ordinal)}' or @id='{id.Replace("'", "", StringComparison.Ordinal)}']");
        if (sameId is null || sameId.Count != 1)
        {
            return $"the ID '{id}' is not unique in the document";
        }

        var signedXml = new StrictSignedXml(signedElement);
        try
        {
            signedXml.LoadXml(signature);
        }
        catch (CryptographicException e)
        {
            return $"the signature element is malformed: {e.Message}";
        }

        if (signedXml.SignedInfo is null || signedXml.SignedInfo.References.Count != 1 || signedXml.SignedInfo.References[0] is not Reference reference)
        {
            return "the signature must have exactly one reference";
        }

        if (reference.Uri != "#" + id)
        {
            return $"the signature's reference '{reference.Uri}' does not point at the signed element '#{id}'";
        }

        for (var i = 0; i < reference.TransformChain.Count; i++)
        {
            var transform = reference.TransformChain[i];
            if (transform is not (XmlDsigEnvelopedSignatureTransform or XmlDsigExcC14NTransform or XmlDsigC14NTransform))
            {
                return $"transform {transform.Algorithm} is not allowed";
            }
        }

        if (signedXml.SignatureMethod is not (SignedXml.XmlDsigRSASHA256Url or SignedXml.XmlDsigRSASHA384Url or SignedXml.XmlDsigRSASHA512Url or SignedXml.XmlDsigRSASHA1Url))
        {
            return $"signature method {signedXml.SignatureMethod} is not supported";
        }

        foreach (var certificate in certificates)
        {
            try
            {
                if (signedXml.CheckSignature(certificate, verifySignatureOnly: true))
                {
                    return null;
                }
            }
            catch (CryptographicException)
            {
                // Try the next certificate.
            }
        }

        return certificates.Count == 0 ? "no certificate to verify the signature with" : "the signature is not valid for any of the provider's certificates";
    }

    /// <summary>Resolves a reference only to the element it was created for, never to another element carrying the same ID.</summary>
    private sealed class StrictSignedXml : SignedXml
    {
        private readonly XmlElement target;

        public StrictSignedXml(XmlElement signedElement)
            : base(signedElement) => target = signedElement;

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue)
            => target.GetAttribute("ID") == idValue ? target : null;
    }
}
