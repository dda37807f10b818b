using System.Text;
using FederationPortal.Core.Federation;
using FederationPortal.Tests.Saml;

namespace FederationPortal.Core.Tests.Federation;

public sealed class MetadataUploadTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_real_entra_sample_is_refused_because_its_certificate_expired()
    {
        var path = SharedSamples.Path("entra-aws-app-federation-metadata.xml");
        if (!File.Exists(path))
        {
            Assert.Skip("../shared/samples is not present next to the repository.");
        }

        var result = MetadataUpload.Check(File.ReadAllBytes(path), null, Now);

        Assert.False(result.Accepted);
        Assert.Contains(result.Problems, p => p.Contains("expired (the latest on 2026-04-04)", StringComparison.Ordinal));
        Assert.True(result.Metadata!.SignatureValid);
    }

    [Fact]
    public void A_byte_order_mark_is_removed_and_the_file_accepted()
    {
        using var idp = new TestIdentityProvider("https://sts.windows.net/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/");
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(idp.Metadata())).ToArray();

        var result = MetadataUpload.Check(withBom, "https://sts.windows.net/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/", Now);

        Assert.True(result.Accepted, string.Join(" ", result.Problems));
        Assert.True(result.BomRemoved);
        Assert.StartsWith("<", result.Xml);
    }

    [Fact]
    public void Metadata_of_another_tenant_is_refused_by_name()
    {
        using var idp = new TestIdentityProvider("https://sts.windows.net/00000000-1111-2222-3333-444444444444/");
        var result = MetadataUpload.Check(Encoding.UTF8.GetBytes(idp.Metadata()), "https://sts.windows.net/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/", Now);
        Assert.False(result.Accepted);
        Assert.Contains(result.Problems, p => p.Contains("not this environment's tenant", StringComparison.Ordinal));
    }

    [Fact]
    public void Something_that_is_not_metadata_is_refused_with_the_parsers_reason()
    {
        var result = MetadataUpload.Check(Encoding.UTF8.GetBytes("<html><body>Sign in to your account</body></html>" + new string(' ', 1000)), null, Now);
        Assert.False(result.Accepted);
        Assert.NotEmpty(result.Problems);
        Assert.Null(result.Xml);
    }
}
