using System.Text;
using FederationPortal.Core.Saml;
using FederationPortal.Tests.Saml;

namespace FederationPortal.Core.Tests.Saml;

public sealed class SamlMetadataParserTests
{
    private static readonly string EntraSample = SharedSamples.Path("entra-aws-app-federation-metadata.xml");

    [Fact]
    public void Test_identity_provider_metadata_yields_entity_id_sso_urls_and_signing_certificate()
    {
        using var idp = new TestIdentityProvider();
        var until = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var result = SamlMetadataParser.Parse(idp.Metadata(until));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var metadata = result.Metadata!;
        Assert.Equal(idp.EntityId, metadata.EntityId);
        Assert.Contains(metadata.SingleSignOnUrls, u => u.EndsWith("/saml2", StringComparison.Ordinal));
        var certificate = Assert.Single(metadata.SigningCertificates);
        Assert.Equal(idp.Certificate.Thumbprint, certificate.Thumbprint);
        Assert.Equal(2048, certificate.KeySizeBits);
        Assert.Equal(until, metadata.ValidUntil);
    }

    [Fact]
    public void Entra_federation_metadata_sample_parses_and_its_signature_verifies()
    {
        if (!File.Exists(EntraSample))
        {
            Assert.Skip($"The Entra sample {EntraSample} is not present.");
        }

        var result = SamlMetadataParser.Parse(File.ReadAllBytes(EntraSample));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.StartsWith("https://sts.windows.net/", result.Metadata!.EntityId, StringComparison.Ordinal);
        Assert.NotEmpty(result.Metadata.SigningCertificates);
        Assert.True(result.Metadata.IsSigned);
        Assert.True(result.Metadata.SignatureValid);
    }

    [Fact]
    public void A_byte_order_mark_is_refused()
    {
        using var idp = new TestIdentityProvider();
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(idp.Metadata())).ToArray();
        Assert.Contains(SamlMetadataParser.Parse(bytes).Problems, p => p.Code == "Bom");
    }

    [Fact]
    public void A_key_under_1024_bits_is_refused()
    {
        using var idp = new TestIdentityProvider(keySize: 512);
        Assert.Contains(SamlMetadataParser.Parse(idp.Metadata()).Problems, p => p.Code == "WeakKey");
    }

    [Fact]
    public void Too_short_and_wrong_root_documents_are_refused()
    {
        Assert.Contains(SamlMetadataParser.Parse("<EntityDescriptor/>").Problems, p => p.Code == "Length");
        var notMetadata = "<root xmlns=\"urn:x\">" + new string(' ', 1200) + "</root>";
        Assert.Contains(SamlMetadataParser.Parse(notMetadata).Problems, p => p.Code == "Root");
    }

    [Fact]
    public void Metadata_without_a_signing_certificate_is_refused()
    {
        using var idp = new TestIdentityProvider();
        var metadata = idp.Metadata();
        var start = metadata.IndexOf("<KeyDescriptor", StringComparison.Ordinal);
        var end = metadata.IndexOf("</KeyDescriptor>", StringComparison.Ordinal) + "</KeyDescriptor>".Length;
        var stripped = metadata[..start] + metadata[end..] + "<!--" + new string('x', 1200) + "-->";
        Assert.Contains(SamlMetadataParser.Parse(stripped).Problems, p => p.Code == "NoSigningCertificate");
    }
}
