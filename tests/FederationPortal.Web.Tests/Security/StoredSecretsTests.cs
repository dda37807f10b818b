using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederationPortal.Web.Tests.Security;

/// <summary>
/// Live-mode credentials entered in Settings: kept only as Data Protection ciphertext in the portal database, with the
/// key ring in the data folder, and read back into configuration at the next start.
/// </summary>
public sealed class StoredSecretsTests
{
    private const string ClientSecret = "Zq8~StoredClientSecret.0123456789abcdef";
    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private static readonly PortalActor Admin = new("admin-1", "Adele Vance", [PortalRoles.Admin]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stored_secrets_are_encrypted_at_rest_and_become_configuration_at_the_next_start()
    {
        var dataDirectory = NewDataDirectory();
        try
        {
            await using (var sandbox = new PortalHost(dataDirectory: dataDirectory))
            {
                _ = sandbox.BaseAddress;
                await using var scope = sandbox.Services.CreateAsyncScope();
                var secrets = scope.ServiceProvider.GetRequiredService<StoredSecretService>();
                await secrets.SetAsync(Admin, Values(ClientSecret, AccessKeyId, SecretAccessKey), Ct);
                Assert.All(await secrets.ListAsync(Ct), s => Assert.True(s.IsStored, s.Name));

                var trail = await scope.ServiceProvider.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = "settings.secret.set" }, Ct);
                var set = Assert.Single(trail.Items);
                Assert.Equal(AuditOutcome.Success, set.Outcome);
                Assert.Contains(StoredSecretService.EntraClientSecret, set.TargetId);
                Assert.DoesNotContain(ClientSecret, sandbox.Logs.ToString(), StringComparison.Ordinal);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dataDirectory, "keys"), "key-*.xml"));
            foreach (var file in Directory.GetFiles(dataDirectory, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file, Ct);
                foreach (var secret in new[] { ClientSecret, SecretAccessKey })
                {
                    Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"{secret[..6]}… in clear in {file}");
                    Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(secret)), $"{secret[..6]}… in clear (UTF-16) in {file}");
                }
            }

            // Live mode with no client secret and no AWS keys in configuration starts with the stored ones.
            var tenant = Guid.NewGuid().ToString();
            await using var live = new PortalHost(LiveSettings(tenant), dataDirectory, services => ModeTests.WithoutEntraDiscovery(services, tenant));
            _ = live.BaseAddress;
            var options = live.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
            Assert.Equal(PortalMode.Live, options.Mode);
            Assert.Equal(ClientSecret, options.Entra.ClientSecret);
            Assert.Equal(AccessKeyId, options.Aws.AccessKeyId);
            Assert.Equal(SecretAccessKey, options.Aws.SecretAccessKey);
        }
        finally
        {
            TryDelete(dataDirectory);
        }
    }

    [Fact]
    public async Task A_stored_secret_whose_key_ring_is_gone_is_not_used_and_Live_validation_names_the_key()
    {
        var dataDirectory = NewDataDirectory();
        try
        {
            await using (var sandbox = new PortalHost(dataDirectory: dataDirectory))
            {
                _ = sandbox.BaseAddress;
                await using var scope = sandbox.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<StoredSecretService>().SetAsync(Admin, Values(ClientSecret, null, null), Ct);
            }

            Directory.Delete(Path.Combine(dataDirectory, "keys"), recursive: true);
            var tenant = Guid.NewGuid().ToString();
            await using var live = new PortalHost(LiveSettings(tenant), dataDirectory, services => ModeTests.WithoutEntraDiscovery(services, tenant));
            var ex = Assert.ThrowsAny<Exception>(() => live.BaseAddress);
            var validation = ex as OptionsValidationException ?? ex.InnerException as OptionsValidationException
                             ?? throw new Xunit.Sdk.XunitException($"Expected an OptionsValidationException, got {ex}");
            Assert.Contains(validation.Failures, f => f.Contains("Portal:Entra:ClientSecret", StringComparison.Ordinal));
        }
        finally
        {
            TryDelete(dataDirectory);
        }
    }

    [Fact]
    public async Task Bad_values_name_their_field_and_store_nothing_and_a_reader_is_refused_and_audited()
    {
        await using var host = new PortalHost();
        _ = host.BaseAddress;
        await using var scope = host.Services.CreateAsyncScope();
        var secrets = scope.ServiceProvider.GetRequiredService<StoredSecretService>();

        // A valid client secret next to an invalid key pair: nothing is stored.
        var invalid = await Assert.ThrowsAsync<PortalValidationException>(() => secrets.SetAsync(Admin, Values(ClientSecret, "AKIA-not-a-key", SecretAccessKey), Ct));
        Assert.Contains("AKIA", invalid.Errors[StoredSecretService.AwsAccessKeyId], StringComparison.Ordinal);
        var unpaired = await Assert.ThrowsAsync<PortalValidationException>(() => secrets.SetAsync(Admin, Values(null, AccessKeyId, null), Ct));
        Assert.Contains("go together", unpaired.Errors[StoredSecretService.AwsSecretAccessKey], StringComparison.Ordinal);
        var secretId = await Assert.ThrowsAsync<PortalValidationException>(() => secrets.SetAsync(Admin, Values("too short", null, null), Ct));
        Assert.Contains("Certificates & secrets", secretId.Errors[StoredSecretService.EntraClientSecret], StringComparison.Ordinal);
        Assert.All(await secrets.ListAsync(Ct), s => Assert.False(s.IsStored, s.Name));

        var reader = new PortalActor("reader-1", "Megan Bowen", [PortalRoles.Reader]);
        await Assert.ThrowsAsync<PortalAuthorizationException>(() => secrets.SetAsync(reader, Values(ClientSecret, null, null), Ct));
        await Assert.ThrowsAsync<PortalAuthorizationException>(() => secrets.RemoveAsync(reader, StoredSecretService.EntraClientSecret, Ct));
        Assert.All(await secrets.ListAsync(Ct), s => Assert.False(s.IsStored, s.Name));

        var trail = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        var denied = await trail.QueryAsync(new AuditQuery { Outcome = AuditOutcome.Denied }, Ct);
        Assert.Equal(2, denied.Items.Count(e => e.ActorName == "Megan Bowen" && e.Action.StartsWith("settings.secret.", StringComparison.Ordinal)));
        var failed = await trail.QueryAsync(new AuditQuery { Action = "settings.secret.set", Outcome = AuditOutcome.Failure }, Ct);
        Assert.Equal(3, failed.Items.Count);
        Assert.All(failed.Items, e => Assert.DoesNotContain(SecretAccessKey, e.ErrorMessage ?? string.Empty, StringComparison.Ordinal));

        // Removing is audited too, and what was stored is gone.
        await secrets.SetAsync(Admin, Values(ClientSecret, null, null), Ct);
        await secrets.RemoveAsync(Admin, StoredSecretService.EntraClientSecret, Ct);
        Assert.False((await secrets.ListAsync(Ct)).Single(s => s.Name == StoredSecretService.EntraClientSecret).IsStored);
        Assert.Single((await trail.QueryAsync(new AuditQuery { Action = "settings.secret.remove", Outcome = AuditOutcome.Success }, Ct)).Items);
    }

    private static Dictionary<string, string?> Values(string? clientSecret, string? accessKeyId, string? secretAccessKey) => new()
    {
        [StoredSecretService.EntraClientSecret] = clientSecret,
        [StoredSecretService.AwsAccessKeyId] = accessKeyId,
        [StoredSecretService.AwsSecretAccessKey] = secretAccessKey,
    };

    private static Dictionary<string, string?> LiveSettings(string tenant) => new()
    {
        ["Portal:Mode"] = "Live",
        ["Portal:Entra:TenantId"] = tenant,
        ["Portal:Entra:ClientId"] = Guid.NewGuid().ToString(),
    };

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static void TryDelete(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleanup.
        }
    }
}
