using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using FederationPortal.Core.Entra;

namespace FederationPortal.Clouds.Tests.Entra;

public sealed class FederationMetadataSignerTests
{
    [Fact]
    public void Metadata_signed_by_a_key_it_does_not_publish_is_not_reported_valid()
    {
        using var published = SelfSigned("CN=Published");
        using var outsider = SelfSigned("CN=Outsider");
        Assert.True(Parse(published, signer: published).SignatureValid);
        Assert.False(Parse(published, signer: outsider).SignatureValid);
    }

    private static FederationMetadata Parse(X509Certificate2 published, X509Certificate2 signer)
    {
        var padding = new string(' ', 1000);
        var xml = $"""<EntityDescriptor ID="_m1" entityID="https://sts.windows.net/t/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{Convert.ToBase64String(published.RawData)}</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/saml2" /></IDPSSODescriptor><!--{padding}--></EntityDescriptor>""";
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        using var key = signer.GetRSAPrivateKey()!;
        var signedXml = new SignedXml(document) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#_m1") { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(signer));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        document.DocumentElement!.PrependChild(document.ImportNode(signedXml.GetXml(), true));
        return FederationMetadata.Parse(new UTF8Encoding(false).GetBytes(document.OuterXml), DateTimeOffset.UtcNow);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
