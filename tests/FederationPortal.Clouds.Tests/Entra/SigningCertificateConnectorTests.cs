using System.Security.Cryptography.X509Certificates;
using FederationPortal.Core.Entra;

namespace FederationPortal.Clouds.Tests.Entra;

/// <summary>Listing and removing token-signing certificates through the Graph SDK against the sandbox tenant (certificate rotation).</summary>
public sealed class SigningCertificateConnectorTests(EntraConnectorFixture fixture) : IClassFixture<EntraConnectorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEntraDirectoryService Entra => fixture.Entra;

    [Fact]
    public async Task Certificates_are_listed_with_their_public_part_and_only_an_inactive_one_can_be_removed()
    {
        var created = await Entra.InstantiateAwsAppAsync("AWS Rotation", Ct);
        var spId = created.ServicePrincipal.Id;
        var end = DateTimeOffset.UtcNow.AddYears(1);
        var old = await Entra.AddTokenSigningCertificateAsync(spId, "CN=Rotation old", end, Ct);
        await Entra.SetPreferredTokenSigningThumbprintAsync(spId, old.Thumbprint, Ct);
        var next = await Entra.AddTokenSigningCertificateAsync(spId, "CN=Rotation new", end.AddDays(1), Ct);

        var listed = await Entra.ListTokenSigningCertificatesAsync(spId, Ct);
        Assert.Equal(new[] { old.Thumbprint, next.Thumbprint }.Order(), listed.Select(c => c.Thumbprint).Order());
        foreach (var certificate in listed)
        {
            using var x509 = X509CertificateLoader.LoadCertificate(certificate.PublicCertificate);
            Assert.Equal(certificate.Thumbprint, x509.Thumbprint);
        }

        var refused = await Assert.ThrowsAsync<EntraServiceException>(() => Entra.RemoveTokenSigningCertificateAsync(spId, old.Thumbprint, Ct));
        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("preferredTokenSigningKeyThumbprint", refused.Message);

        await Entra.SetPreferredTokenSigningThumbprintAsync(spId, next.Thumbprint, Ct);
        await Entra.RemoveTokenSigningCertificateAsync(spId, old.Thumbprint, Ct);

        var sp = await Entra.GetServicePrincipalAsync(spId, Ct);
        Assert.Equal(2, sp!.KeyCredentials.Count); // the new certificate's Sign and Verify keys
        Assert.All(sp.KeyCredentials, k => Assert.Equal("CN=Rotation new", k.DisplayName));
        Assert.Equal(next.Thumbprint, Assert.Single(await Entra.ListTokenSigningCertificatesAsync(spId, Ct)).Thumbprint);
        Assert.Equal(next.Thumbprint, Assert.Single((await Entra.GetFederationMetadataAsync(created.Application.AppId, Ct)).SigningCertificates).Thumbprint);
    }
}
