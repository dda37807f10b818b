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
                case JsonValueKind.String when name is not null && (SecretRedactor.IsSecretName(name) || name.Contains("pfx", StringComparison.OrdinalIgnoreCase) || name.Contains("pkcs", StringComparison.OrdinalIgnoreCase)):
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
        await using var host = new PortalHost();
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

        var teardown = await driver.WithScopeAsync(async sp => await driver.WaitAsync(
            (await sp.GetRequiredService<SetupService>().TeardownAsync(SetupDriver.Admin, environment.Id, environment.Name)).Id));
        Assert.Equal(FederationPortal.Core.Lifecycle.OperationStatus.Succeeded, teardown.Status);

        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(host.DataDirectory, "portal.db*").Select(File.ReadAllBytes).ToList();
        var logs = host.Logs.ToString();
        var audit = new StringBuilder();
        await foreach (var evt in host.Services.GetRequiredService<IAuditTrail>().StreamAsync(new AuditQuery(), TestContext.Current.CancellationToken))
        {
            audit.Append(evt.DetailsJson).Append(evt.ErrorMessage).Append(evt.TargetId).Append('\n');
        }

        foreach (var secret in secrets)
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            Assert.True(files.All(f => f.AsSpan().IndexOf(bytes) < 0), $"a secret ({Names.GetValueOrDefault(secret)}: {secret[..6]}…) is in the portal database");
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..6]}…) is in the logs");
            Assert.False(audit.ToString().Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..6]}…) is in the audit trail");
        }
    }
}
