using FederationPortal.Core.Entra;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Sandbox.Tests.Entra;

public sealed class PersistenceTests
{
    [Fact]
    public async Task The_tenant_and_its_signing_keys_survive_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Sandbox:InstantiateDelayMilliseconds"] = "0" };
        try
        {
            string appId;
            string thumbprint;
            await using (var first = new EmulatorHost(settings, dataDirectory))
            {
                _ = first.BaseAddress;
                var entra = first.Services.GetRequiredService<IEntraDirectoryService>();
                var app = await entra.InstantiateAwsAppAsync("AWS Persistent", ct);
                var certificate = await entra.AddTokenSigningCertificateAsync(app.ServicePrincipal.Id, "CN=Persistent", DateTimeOffset.UtcNow.AddYears(1), ct);
                await entra.SetPreferredTokenSigningThumbprintAsync(app.ServicePrincipal.Id, certificate.Thumbprint, ct);
                (appId, thumbprint) = (app.Application.AppId, certificate.Thumbprint);
            }

            await using var second = new EmulatorHost(settings, dataDirectory);
            _ = second.BaseAddress;
            var metadata = await second.Services.GetRequiredService<IEntraDirectoryService>().GetFederationMetadataAsync(appId, ct);
            Assert.Equal(thumbprint, Assert.Single(metadata.SigningCertificates).Thumbprint);
            Assert.True(metadata.SignatureValid);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS temp cleanup.
            }
        }
    }
}
