using System.Text;
using System.Text.Json;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Security;

public sealed class SecretScanTests
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Names = new();

    /// <summary>
    /// The test's own idea of a secret field, deliberately not the production redactor's (<c>SecretRedactor</c>): a
    /// scan that looked only for what the redactor recognises would pass whatever the redactor missed.
    /// </summary>
    private static readonly string[] SecretFieldWords = ["secret", "sessiontoken", "password", "privatekey", "pkcs", "pfx"];

    private static bool IsSecretField(string name) => SecretFieldWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every secret the emulated clouds hold (access keys' secrets, STS session secrets, signing keys…), read from their own store.</summary>
    private static async Task<HashSet<string>> SandboxSecretsAsync(string dataDirectory)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "sandbox.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT Json FROM Documents";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Collect(JsonDocument.Parse(reader.GetString(0)).RootElement, null, secrets);
        }

        return secrets;

        static void Collect(JsonElement element, string? name, HashSet<string> found)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, property.Name, found);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, name, found);
                    }

                    break;
                case JsonValueKind.String when name is not null && IsSecretField(name):
                    var value = element.GetString()!;
                    if (value.Length >= 16)
                    {
                        found.Add(value);
                        Names[value] = name;
                    }

                    break;
            }
        }
    }

    [Fact]
    public async Task After_a_full_lifecycle_no_secret_is_in_the_portal_database_its_logs_or_its_audit_trail()
    {
        // Every level, from every category: a secret logged at Trace is as leaked as one logged at Error.
        await using var host = new PortalHost(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http"] = "Trace",
        });
        host.Logs.MinimumLevel = Microsoft.Extensions.Logging.LogLevel.Trace;
        var driver = new SetupDriver(host);
        _ = host.BaseAddress;

        var environment = await driver.CreateEnvironmentAsync("Contoso secrets");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: true));
        await driver.ApplyAndWaitAsync(environment.Id);
        var signIn = await driver.WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environment.Id, "diego.siciliani@contoso.example", "FP-ReadOnly"));
        Assert.True(signIn.Success);
        var token = await driver.WithScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(SetupDriver.Admin, "scan", PortalRoles.Reader, 1));

        // A Live client secret an admin stores in Settings: kept, but only encrypted.
        const string storedClientSecret = "Lv8~LiveClientSecretStoredInSettings.0123";
        await driver.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<StoredSecretService>().SetAsync(SetupDriver.Admin, new Dictionary<string, string?> { [StoredSecretService.EntraClientSecret] = storedClientSecret });
            return true;
        });

        var secrets = await SandboxSecretsAsync(host.DataDirectory);
        secrets.Add(storedClientSecret);
        Assert.Contains(secrets, s => s.Length == 40);   // at least the provisioning user's secret access key
        secrets.Add(token.Value);
        secrets.Add("sandbox-graph-client-secret-not-a-real-one");
        var adminToken = host.AdminApiToken;
        secrets.Add(adminToken);
        Names[adminToken] = "the installation's Admin API token";

        // The audit digests' signing key, as it is before Data Protection seals it.
        Assert.NotNull(await driver.WithScopeAsync(sp => sp.GetRequiredService<AuditDigestService>().SignNowAsync(SetupDriver.Admin)));
        var sealedKey = await File.ReadAllTextAsync(Path.Combine(host.DataDirectory, "audit", "signing-key"));
        var signingKey = host.Services.GetRequiredService<ISecretProtector>().Unprotect(sealedKey.Trim());
        secrets.Add(signingKey);
        Names[signingKey] = "the audit digest signing key";

        // The Data Protection master keys: in the key ring (that is their place), nowhere else.
        var masterKeys = Directory.GetFiles(Path.Combine(host.DataDirectory, "keys"), "key-*.xml")
            .SelectMany(f => System.Xml.Linq.XDocument.Load(f).Descendants("value").Select(v => v.Value.Trim()))
            .Where(v => v.Length >= 16)
            .ToList();
        Assert.NotEmpty(masterKeys);
        masterKeys.ForEach(k => Names[k] = "a Data Protection master key");

        var teardown = await driver.WithScopeAsync(async sp => await driver.WaitAsync(
            (await sp.GetRequiredService<SetupService>().TeardownAsync(SetupDriver.Admin, environment.Id, environment.Name)).Id));
        Assert.Equal(FederationPortal.Core.Lifecycle.OperationStatus.Succeeded, teardown.Status);

        SqliteConnection.ClearAllPools();
        // Every file of the data folder but the emulated clouds' own store (where the clouds keep their secrets, as AWS
        // and Entra do): the portal database and its WAL, the key ring, the audit digests, the admin token file.
        var files = Directory.GetFiles(host.DataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("sandbox.db", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(host.DataDirectory, f), File.ReadAllBytes);
        Assert.Contains(files.Keys, f => f.StartsWith("keys", StringComparison.Ordinal));
        Assert.Contains(files.Keys, f => f.StartsWith("audit", StringComparison.Ordinal));
        Assert.Contains(files.Keys, f => f.StartsWith("portal.db", StringComparison.Ordinal));
        var logs = host.Logs.ToString();
        var audit = new StringBuilder();
        await foreach (var evt in host.Services.GetRequiredService<IAuditTrail>().StreamAsync(new AuditQuery(), TestContext.Current.CancellationToken))
        {
            audit.Append(evt.DetailsJson).Append(evt.ErrorMessage).Append(evt.TargetId).Append('\n');
        }

        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Trace ", StringComparison.Ordinal) || l.StartsWith("Debug ", StringComparison.Ordinal));
        foreach (var secret in secrets.Concat(masterKeys))
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            var where = files.Where(f => f.Value.AsSpan().IndexOf(bytes) >= 0).Select(f => f.Key)
                .Where(f => !(f == "sandbox-admin-token" && secret == adminToken))    // the credential file holds its own token
                .Where(f => !(f.StartsWith("keys", StringComparison.Ordinal) && masterKeys.Contains(secret))) // the key ring its own keys
                .ToList();
            Assert.True(where.Count == 0, $"a secret ({Names.GetValueOrDefault(secret)}: {secret[..6]}…) is in {string.Join(", ", where)}");
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret ({Names.GetValueOrDefault(secret)}: {secret[..6]}…) is in the logs");
            Assert.False(audit.ToString().Contains(secret, StringComparison.Ordinal), $"a secret ({Names.GetValueOrDefault(secret)}: {secret[..6]}…) is in the audit trail");
        }
    }
}
