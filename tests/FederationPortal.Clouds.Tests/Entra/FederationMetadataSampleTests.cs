using System.Runtime.CompilerServices;
using FederationPortal.Core.Entra;

namespace FederationPortal.Clouds.Tests.Entra;

/// <summary>The real federation metadata of an Entra AWS app (../shared/samples), read in place.</summary>
public sealed class FederationMetadataSampleTests
{
    private static string? SamplePath([CallerFilePath] string source = "")
    {
        // tests/FederationPortal.Clouds.Tests/Entra/ → the repository root → ../shared
        var repositoryRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
        var path = Path.Combine(repositoryRoot, "..", "shared", "samples", "entra-aws-app-federation-metadata.xml");
        return File.Exists(path) ? path : null;
    }

    private static byte[] Sample()
    {
        var path = SamplePath();
        if (path is null)
        {
            Assert.Skip("../shared/samples is not present next to the repository.");
        }

        return File.ReadAllBytes(path);
    }

    [Fact]
    public void The_real_sample_parses_verifies_and_its_certificate_is_reported_expired()
    {
        var metadata = FederationMetadata.Parse(Sample(), new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal("https://sts.windows.net/d504922d-ac26-4aa9-b625-3a29942cc709/", metadata.EntityId);
        Assert.Equal("https://login.microsoftonline.com/d504922d-ac26-4aa9-b625-3a29942cc709/saml2", metadata.SingleSignOnUrl);
        Assert.True(metadata.IsSigned);
        Assert.True(metadata.SignatureValid);
        var certificate = Assert.Single(metadata.SigningCertificates);
        Assert.Equal("CN=AWS SAML Certificate", certificate.Subject);
        Assert.Equal(2048, certificate.KeySizeBits);
        Assert.Equal(new DateTime(2026, 4, 4), certificate.NotAfter.UtcDateTime.Date);
        Assert.True(certificate.IsExpired);
    }

    [Fact]
    public void The_sample_was_valid_before_its_certificate_expired()
    {
        var metadata = FederationMetadata.Parse(Sample(), new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.False(Assert.Single(metadata.SigningCertificates).IsExpired);
    }

    [Fact]
    public void The_sample_verifies_with_xmlsec1_too()
    {
        var bytes = Sample();
        if (!File.Exists("/usr/bin/xmlsec1"))
        {
            Assert.Skip("xmlsec1 is not installed.");
        }

        var directory = Directory.CreateTempSubdirectory("fp-xmlsec-");
        try
        {
            var metadata = FederationMetadata.Parse(bytes, DateTimeOffset.UtcNow);
            var certificate = Path.Combine(directory.FullName, "cert.pem");
            File.WriteAllText(certificate, System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", Convert.FromBase64String(metadata.SigningCertificates[0].Base64Der)));
            var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/xmlsec1")
            {
                ArgumentList = { "--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "--pubkey-cert-pem", certificate, SamplePath()! },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_tampered_sample_fails_verification()
    {
        var text = System.Text.Encoding.UTF8.GetString(Sample()).Replace("/saml2\"", "/saml3\"", StringComparison.Ordinal);
        var metadata = FederationMetadata.Parse(System.Text.Encoding.UTF8.GetBytes(text), DateTimeOffset.UtcNow);
        Assert.True(metadata.IsSigned);
        Assert.False(metadata.SignatureValid);
    }
}
