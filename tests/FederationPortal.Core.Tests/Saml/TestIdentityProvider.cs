using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace FederationPortal.Tests.Saml;

/// <summary>What a test SAML response says; defaults describe a valid Entra-shaped response for AWS.</summary>
public sealed record TestSamlResponse
{
    public required IReadOnlyList<string> Roles { get; init; }
    public string SessionName { get; init; } = "alice@contoso.example";
    public int? SessionDuration { get; init; } = 3600;
    public string NameId { get; init; } = "alice@contoso.example";
    public string NameIdFormat { get; init; } = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public string? Issuer { get; init; }
    public string Recipient { get; init; } = "https://signin.aws.amazon.com/saml";
    public string Audience { get; init; } = "https://signin.aws.amazon.com/saml";
    public required DateTimeOffset Now { get; init; }
    public TimeSpan NotBeforeOffset { get; init; } = TimeSpan.FromMinutes(-5);
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(65);
    public bool SignAssertion { get; init; } = true;
    public bool SignResponse { get; init; }
    /// <summary>Sign with this key instead of the provider's.</summary>
    public X509Certificate2? SignWith { get; init; }
}

/// <summary>
/// A test identity provider shaped like Entra: a self-signed RSA-2048 certificate, federation metadata with an
/// IDPSSODescriptor, and SAML responses whose Assertion (and/or Response) carries an enveloped RSA-SHA256,
/// exclusive-c14n signature, built with System.Security.Cryptography.Xml.
/// </summary>
public sealed class TestIdentityProvider : IDisposable
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";

    public TestIdentityProvider(string? entityId = null, int keySize = 2048, string subject = "CN=Microsoft Azure Federated SSO Certificate")
    {
        EntityId = entityId ?? "https://sts.windows.net/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/";
        Certificate = CreateCertificate(subject, keySize);
    }

    public string EntityId { get; }

    public X509Certificate2 Certificate { get; }

    public static X509Certificate2 CreateCertificate(string subject = "CN=Test SAML Signing", int keySize = 2048)
    {
        using var rsa = RSA.Create(keySize);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(3));
    }

    /// <summary>Federation metadata, as Entra publishes it for an app (unsigned here; signing is optional in IAM).</summary>
    public string Metadata(DateTimeOffset? validUntil = null)
    {
        var cert = Convert.ToBase64String(Certificate.RawData);
        var until = validUntil is { } v ? $" validUntil=\"{v.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"" : "";
        return $"""<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_{Guid.NewGuid()}" entityID="{EntityId}"{until} xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/saml2" /><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/saml2" /><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/saml2" /></IDPSSODescriptor></EntityDescriptor>""";
    }

    /// <summary>The response document (signed as requested); see <see cref="Encode"/>.</summary>
    public XmlDocument ResponseDocument(TestSamlResponse spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var responseId = "_" + Guid.NewGuid().ToString();
        var assertionId = "_" + Guid.NewGuid().ToString();
        var issuer = spec.Issuer ?? EntityId;
        var notBefore = Stamp(spec.Now + spec.NotBeforeOffset);
        var notOnOrAfter = Stamp(spec.Now + spec.NotBeforeOffset + spec.Lifetime);
        var attributes = new StringBuilder();
        attributes.Append(Attribute("https://aws.amazon.com/SAML/Attributes/Role", spec.Roles));
        attributes.Append(Attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", [spec.SessionName]));
        if (spec.SessionDuration is { } duration)
        {
            attributes.Append(Attribute("https://aws.amazon.com/SAML/Attributes/SessionDuration", [duration.ToString(CultureInfo.InvariantCulture)]));
        }

        var xml = $"""<samlp:Response ID="{responseId}" Version="2.0" IssueInstant="{Stamp(spec.Now)}" Destination="{spec.Recipient}" xmlns:samlp="{Protocol}"><Issuer xmlns="{Assertion}">{issuer}</Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success" /></samlp:Status><Assertion ID="{assertionId}" IssueInstant="{Stamp(spec.Now)}" Version="2.0" xmlns="{Assertion}"><Issuer>{issuer}</Issuer><Subject><NameID Format="{spec.NameIdFormat}">{spec.NameId}</NameID><SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData NotOnOrAfter="{notOnOrAfter}" Recipient="{spec.Recipient}" /></SubjectConfirmation></Subject><Conditions NotBefore="{notBefore}" NotOnOrAfter="{notOnOrAfter}"><AudienceRestriction><Audience>{spec.Audience}</Audience></AudienceRestriction></Conditions><AttributeStatement>{attributes}</AttributeStatement><AuthnStatement AuthnInstant="{Stamp(spec.Now)}" SessionIndex="{assertionId}"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement></Assertion></samlp:Response>""";
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        var signer = spec.SignWith ?? Certificate;
        if (spec.SignAssertion)
        {
            Sign(document, (XmlElement)document.GetElementsByTagName("Assertion", Assertion)[0]!, signer);
        }

        if (spec.SignResponse)
        {
            Sign(document, document.DocumentElement!, signer);
        }

        return document;
    }

    public string Response(TestSamlResponse spec) => Encode(ResponseDocument(spec));

    public static string Encode(XmlDocument document) => Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));

    /// <summary>An enveloped signature over <paramref name="element"/>, placed right after its Issuer as SAML's schema wants.</summary>
    public static void Sign(XmlDocument document, XmlElement element, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(certificate);
        var signedXml = new SignedXml(element) { SigningKey = certificate.GetRSAPrivateKey() };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + element.GetAttribute("ID")) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        var signature = document.ImportNode(signedXml.GetXml(), true);
        var issuer = element.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "Issuer");
        element.InsertAfter(signature, issuer);
    }

    public void Dispose() => Certificate.Dispose();

    private static string Attribute(string name, IEnumerable<string> values)
        => $"<Attribute Name=\"{name}\">{string.Concat(values.Select(v => $"<AttributeValue>{System.Security.SecurityElement.Escape(v)}</AttributeValue>"))}</Attribute>";

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
