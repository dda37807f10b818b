using System.Net;
using System.Net.Http.Headers;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Security;
using FederationPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Security;

/// <summary>
/// No Reader and no anonymous caller can obtain an Admin credential: the sandbox's script token is made per
/// installation, lives only in the data folder, and is neither served by <c>/sandbox/info</c> nor shown on a page.
/// </summary>
public sealed class AdminCredentialExposureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sandbox_info_serves_no_portal_token_to_an_anonymous_caller()
    {
        await using var host = new PortalHost();
        var token = host.AdminApiToken;
        using var anonymous = host.CreateRealClient();

        var response = await anonymous.GetAsync("sandbox/info", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"accountId\"", body);
        Assert.DoesNotContain(token, body);
        Assert.DoesNotContain(ApiTokenService.TokenPrefix, body);
    }

    [Fact]
    public async Task Settings_shows_a_reader_no_token_and_an_admin_only_where_the_token_file_is()
    {
        await using var host = new PortalHost();
        var token = host.AdminApiToken;
        using var reader = await SandboxSession.SignedInClientAsync(host, SandboxSession.ReaderId);
        using var admin = await SandboxSession.SignedInClientAsync(host, SandboxSession.AdminId);

        var readerPage = await reader.GetStringAsync("settings", Ct);
        var adminPage = await admin.GetStringAsync("settings", Ct);

        Assert.Contains("data-testid=\"sandbox-info\"", readerPage);
        Assert.DoesNotContain(token, readerPage);
        Assert.DoesNotContain("script-token-file", readerPage);
        Assert.DoesNotContain(InstallationAdminToken.FileName, readerPage);
        Assert.Contains("script-token-file", adminPage);
        Assert.Contains(InstallationAdminToken.PathIn(host.DataDirectory), adminPage);
        Assert.DoesNotContain(token, adminPage);
    }

    [Fact]
    public async Task Each_installation_gets_its_own_random_admin_token_readable_only_by_its_owner_and_kept_across_restarts()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string first;
            await using (var host = new PortalHost(dataDirectory: dataDirectory))
            {
                first = host.AdminApiToken;
                Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(host, first));
            }

            await using (var other = new PortalHost())
            {
                Assert.NotEqual(first, other.AdminApiToken);
                Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(other, first));
            }

            await using (var restarted = new PortalHost(dataDirectory: dataDirectory))
            {
                Assert.Equal(first, restarted.AdminApiToken);
                Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(restarted, first));
                var created = await AuditAsync(restarted, "api-token.create");
                Assert.Single(created, e => e.ActorName == PortalActor.System.DisplayName && e.Outcome == AuditOutcome.Success);
            }

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(InstallationAdminToken.PathIn(dataDirectory)));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_lost_token_file_gets_a_new_token_and_the_well_known_token_of_earlier_versions_is_revoked()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string first;
            await using (var host = new PortalHost(dataDirectory: dataDirectory))
            {
                first = host.AdminApiToken;
                // What versions before 2026-12 left in every sandbox's database: a public Admin token.
                var store = host.Services.GetRequiredService<IApiTokenStore>();
                await store.AddAsync(new ApiToken
                {
                    Id = Guid.NewGuid(),
                    Name = "Sandbox admin (scripts)",
                    Role = PortalRoles.Admin,
                    TokenHash = ApiTokenService.Hash(InstallationAdminToken.LegacyWellKnownValue),
                    Prefix = InstallationAdminToken.LegacyWellKnownValue[..10],
                    CreatedBy = PortalActor.System.DisplayName,
                    CreatedAt = DateTimeOffset.UtcNow,
                }, Ct);
                Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(host, InstallationAdminToken.LegacyWellKnownValue));
            }

            File.Delete(InstallationAdminToken.PathIn(dataDirectory));
            await using (var restarted = new PortalHost(dataDirectory: dataDirectory))
            {
                var second = restarted.AdminApiToken;
                Assert.NotEqual(first, second);
                Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(restarted, second));
                Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(restarted, InstallationAdminToken.LegacyWellKnownValue));
                var revoked = await AuditAsync(restarted, "api-token.revoke");
                Assert.Single(revoked, e => e.ActorName == PortalActor.System.DisplayName && e.Outcome == AuditOutcome.Success);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<HttpStatusCode> StatusWithTokenAsync(PortalHost host, string token)
    {
        using var client = host.CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("api/environments", Ct);
        return response.StatusCode;
    }

    private static async Task<IReadOnlyList<AuditEvent>> AuditAsync(PortalHost host, string action)
        => (await host.Services.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = action }, Ct)).Items;
}
