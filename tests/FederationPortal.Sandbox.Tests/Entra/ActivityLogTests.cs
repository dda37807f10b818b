using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Entra;
using FederationPortal.TestSupport;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace FederationPortal.Sandbox.Tests.Entra;

/// <summary>
/// The sandbox tenant's activity reports and licences over real HTTP: <c>/auditLogs/signIns</c> for SAML sign-ins,
/// <c>/auditLogs/directoryAudits</c> for changes made through the sandbox Graph, <c>/subscribedSkus</c> from
/// <c>Sandbox:Licences</c>, read raw and through the Microsoft Graph SDK.
/// </summary>
public sealed class ActivityLogTests(EntraSandboxFixture fixture) : IClassFixture<EntraSandboxFixture>
{
    private const string Diego = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04";
    private const string DiegoUpn = "diego.siciliani@contoso.example";
    private const string AlexUpn = "alex.wilber@contoso.example";
    private const string AdminsGroup = "7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_ins_record_a_success_and_an_AADSTS50105_newest_first_with_filter_and_paging()
    {
        var since = Stamp(DateTimeOffset.UtcNow.AddSeconds(-1));
        var app = await fixture.CreateSamlAppAsync("AWS SignIns", "https://signin.aws.amazon.com/saml#41", Ct);
        await fixture.Entra.AssignAppRoleAsync(app.ServicePrincipalId, Diego, FederationPortal.Sandbox.Entra.Tenant.SandboxEntraTenant.DefaultUserRoleId, Ct);
        using var browser = fixture.Host.CreateRealClient();
        using (var ok = await browser.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user={DiegoUpn}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var refused = await browser.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user={AlexUpn}", Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var graph = await fixture.GraphClientAsync(Ct);
        var first = await GetAsync(graph, $"auditLogs/signIns?$filter=createdDateTime ge {since} and appId eq '{app.AppId}'&$top=1");
        var newest = Assert.Single(first["value"]!.AsArray())!;
        Assert.Equal(AlexUpn, newest["userPrincipalName"]!.GetValue<string>());
        Assert.Equal(50105, newest["status"]!["errorCode"]!.GetValue<int>());
        Assert.Contains("AWS SignIns", newest["status"]!["failureReason"]!.GetValue<string>());
        Assert.Equal("Alex Wilber", newest["userDisplayName"]!.GetValue<string>());

        var nextLink = first["@odata.nextLink"]!.GetValue<string>();
        var second = await GetAsync(graph, nextLink);
        Assert.Null(second["@odata.nextLink"]);
        var older = Assert.Single(second["value"]!.AsArray())!;
        Assert.Equal(DiegoUpn, older["userPrincipalName"]!.GetValue<string>());
        Assert.Equal(Diego, older["userId"]!.GetValue<string>());
        Assert.Equal(0, older["status"]!["errorCode"]!.GetValue<int>());
        Assert.Null(older["status"]!["failureReason"]);
        Assert.Equal(app.AppId, older["appId"]!.GetValue<string>());
        Assert.Equal("AWS SignIns", older["appDisplayName"]!.GetValue<string>());
        Assert.Equal("AWS SignIns", older["resourceDisplayName"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", older["ipAddress"]!.GetValue<string>());
        Assert.Equal("Browser", older["clientAppUsed"]!.GetValue<string>());
        Assert.True(older["isInteractive"]!.GetValue<bool>());
        Assert.True(Guid.TryParse(older["correlationId"]!.GetValue<string>(), out _));
        Assert.True(DateTimeOffset.Parse(newest["createdDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture)
                    >= DateTimeOffset.Parse(older["createdDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture));

        var byUser = await GetAsync(graph, $"auditLogs/signIns?$filter=userPrincipalName eq '{DiegoUpn}' and appId eq '{app.AppId}'");
        Assert.Equal(DiegoUpn, Assert.Single(byUser["value"]!.AsArray())!["userPrincipalName"]!.GetValue<string>());
        var failures = await GetAsync(graph, $"auditLogs/signIns?$filter=status/errorCode eq 50105 and appId eq '{app.AppId}'");
        Assert.Equal(AlexUpn, Assert.Single(failures["value"]!.AsArray())!["userPrincipalName"]!.GetValue<string>());
        var future = await GetAsync(graph, $"auditLogs/signIns?$filter=createdDateTime ge {Stamp(DateTimeOffset.UtcNow.AddMinutes(5))}");
        Assert.Empty(future["value"]!.AsArray());
    }

    [Fact]
    public async Task Directory_audits_record_app_policy_and_assignment_changes_with_failures_newest_first()
    {
        var since = Stamp(DateTimeOffset.UtcNow.AddSeconds(-1));
        var app = await fixture.CreateSamlAppAsync("AWS Audited", "https://signin.aws.amazon.com/saml#42", Ct);
        var assignment = await fixture.Entra.AssignAppRoleAsync(app.ServicePrincipalId, AdminsGroup, FederationPortal.Sandbox.Entra.Tenant.SandboxEntraTenant.DefaultUserRoleId, Ct);
        await fixture.Entra.RemoveAppRoleAssignmentAsync(app.ServicePrincipalId, assignment.Id, Ct);
        await fixture.Entra.RemoveClaimsMappingPolicyAsync(app.ServicePrincipalId, app.PolicyId, Ct);
        await fixture.Entra.DeleteClaimsMappingPolicyAsync(app.PolicyId, Ct);
        await Assert.ThrowsAsync<EntraServiceException>(() => fixture.Entra.DeleteClaimsMappingPolicyAsync(app.PolicyId, Ct));
        await fixture.Entra.DeleteApplicationAsync(app.ApplicationId, Ct);

        using var graph = await fixture.GraphClientAsync(Ct);
        var audits = new List<JsonNode>();
        var url = $"auditLogs/directoryAudits?$filter=activityDateTime ge {since}&$top=3";
        var pages = 0;
        while (url is not null)
        {
            var page = await GetAsync(graph, url);
            audits.AddRange(page["value"]!.AsArray().Select(a => a!));
            url = page["@odata.nextLink"]?.GetValue<string>();
            pages++;
        }

        Assert.True(pages > 1);
        var mine = audits.Where(a => a["targetResources"]!.AsArray().Any(t =>
            t!["id"]!.GetValue<string>() is var id && (id == app.ApplicationId || id == app.ServicePrincipalId || id == app.PolicyId))).ToList();
        Assert.Equal(
            [
                "Delete application", "Delete policy", "Delete policy", "Remove policy from service principal", "Remove app role assignment from group",
                "Add app role assignment to group", "Add policy to service principal", "Add policy", "Update service principal", "Update service principal",
                "Update application", "Update service principal", "Add service principal", "Add application",
            ],
            mine.Select(a => a["activityDisplayName"]!.GetValue<string>()));

        var deleted = mine[0];
        Assert.Equal("ApplicationManagement", deleted["category"]!.GetValue<string>());
        Assert.Equal("success", deleted["result"]!.GetValue<string>());
        Assert.Equal("Delete", deleted["operationType"]!.GetValue<string>());
        Assert.Equal("Core Directory", deleted["loggedByService"]!.GetValue<string>());
        Assert.Equal(EntraSandboxFixture.ClientId, deleted["initiatedBy"]!["app"]!["appId"]!.GetValue<string>());
        var target = Assert.Single(deleted["targetResources"]!.AsArray())!;
        Assert.Equal(("AWS Audited", "Application"), (target["displayName"]!.GetValue<string>(), target["type"]!.GetValue<string>()));

        var failedDelete = mine[1];
        Assert.Equal("failure", failedDelete["result"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(failedDelete["resultReason"]!.GetValue<string>()));
        Assert.Equal("Policy", failedDelete["category"]!.GetValue<string>());
        Assert.Equal("success", mine[2]["result"]!.GetValue<string>());
        Assert.Equal("AWS Audited claims", mine[2]["targetResources"]![0]!["displayName"]!.GetValue<string>());

        var unassigned = mine[4]["targetResources"]!.AsArray();
        Assert.Equal(AdminsGroup, unassigned[0]!["id"]!.GetValue<string>());
        Assert.Equal("Group", unassigned[0]!["type"]!.GetValue<string>());
        Assert.Equal(app.ServicePrincipalId, unassigned[1]!["id"]!.GetValue<string>());

        var created = mine[^1]["targetResources"]![0]!;
        Assert.Equal((app.ApplicationId, "AWS Audited"), (created["id"]!.GetValue<string>(), created["displayName"]!.GetValue<string>()));
        var appUpdate = mine.Single(a => a["activityDisplayName"]!.GetValue<string>() == "Update application");
        Assert.Contains(appUpdate["targetResources"]![0]!["modifiedProperties"]!.AsArray(), p => p!["displayName"]!.GetValue<string>() == "IdentifierUris");
        Assert.All(mine, a => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$", a["activityDateTime"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_graph_sdk_reads_sign_ins_directory_audits_and_licences()
    {
        var app = await fixture.CreateSamlAppAsync("AWS Sdk Reads", "https://signin.aws.amazon.com/saml#43", Ct);
        using var browser = fixture.Host.CreateRealClient();
        using (await browser.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user={AlexUpn}", Ct))
        {
        }

        var sdk = new GraphServiceClient(
            new HttpClient(),
            new BaseBearerTokenAuthenticationProvider(new StaticToken(await fixture.GetTokenAsync(Ct))),
            fixture.Host.BaseAddress + "/sandbox/graph/v1.0");
        var signIns = await sdk.AuditLogs.SignIns.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{app.AppId}'", Ct);
        var signIn = Assert.Single(signIns!.Value!);
        Assert.Equal(50105, signIn.Status!.ErrorCode);
        Assert.Equal(AlexUpn, signIn.UserPrincipalName);
        Assert.NotNull(signIn.CreatedDateTime);

        var audits = await sdk.AuditLogs.DirectoryAudits.GetAsync(r => r.QueryParameters.Top = 999, Ct);
        Assert.Contains(audits!.Value!, a => a.ActivityDisplayName == "Add application" && a.TargetResources!.Any(t => t.Id == app.ApplicationId)
            && a.InitiatedBy!.App!.AppId == EntraSandboxFixture.ClientId && a.Result == Microsoft.Graph.Models.OperationResult.Success);

        var skus = await sdk.SubscribedSkus.GetAsync(cancellationToken: Ct);
        var sku = Assert.Single(skus!.Value!);
        Assert.Equal("ENTERPRISEPACK", sku.SkuPartNumber);
        Assert.Equal(Guid.Parse("6fd2c87f-b296-42f0-b197-1e91e994b900"), sku.SkuId);
        Assert.Equal($"{EntraSandboxFixture.TenantId}_6fd2c87f-b296-42f0-b197-1e91e994b900", sku.Id);
        Assert.Equal("Enabled", sku.CapabilityStatus);
        Assert.True(sku.PrepaidUnits!.Enabled > 0);
        Assert.DoesNotContain(sku.ServicePlans!, p => p.ServicePlanName is "AAD_PREMIUM" or "AAD_PREMIUM_P2");
    }

    [Fact]
    public async Task Licences_follow_Sandbox_Licences_and_reports_need_their_permissions()
    {
        await using var premium = new EmulatorHost(new Dictionary<string, string?>
        {
            ["Sandbox:Licences:0"] = "AAD_PREMIUM_P2",
            ["Sandbox:Licences:1"] = "SPE_E5",
        });
        using (var graph = await GraphClientAsync(premium))
        {
            var skus = (await GetAsync(graph, "subscribedSkus"))["value"]!.AsArray();
            Assert.Equal(["AAD_PREMIUM_P2", "SPE_E5"], skus.Select(s => s!["skuPartNumber"]!.GetValue<string>()));
            Assert.Equal(["84a661c4-e949-4bd2-a560-ed7766fcaf2b", "06ebc4ee-1bb5-47dd-8120-11324bc54e06"], skus.Select(s => s!["skuId"]!.GetValue<string>()));
            Assert.All(skus, s => Assert.Contains(s!["servicePlans"]!.AsArray(), p => p!["servicePlanName"]!.GetValue<string>() == "AAD_PREMIUM_P2"));
            Assert.All(skus, s => Assert.Contains(s!["servicePlans"]!.AsArray(), p => p!["servicePlanName"]!.GetValue<string>() == "AAD_PREMIUM"));
        }

        await using var restricted = new EmulatorHost(new Dictionary<string, string?> { ["Sandbox:GrantedPermissions:0"] = "Application.ReadWrite.All" });
        using (var graph = await GraphClientAsync(restricted))
        {
            foreach (var path in new[] { "auditLogs/signIns", "auditLogs/directoryAudits", "subscribedSkus" })
            {
                using var response = await graph.GetAsync(path, Ct);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
                Assert.Equal("Authorization_RequestDenied", error["code"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task An_unknown_licence_fails_the_start_naming_the_key()
    {
        await using var host = new EmulatorHost(new Dictionary<string, string?> { ["Sandbox:Licences:0"] = "NOT_A_SKU" });
        var failure = Assert.ThrowsAny<Exception>(() => host.BaseAddress);
        Assert.Contains("Sandbox:Licences", failure.ToString());
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<JsonObject> GetAsync(HttpClient graph, string url)
    {
        using var response = await graph.GetAsync(url, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<HttpClient> GraphClientAsync(EmulatorHost host)
    {
        using var login = host.CreateRealClient();
        using var token = await login.PostAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = EntraSandboxFixture.ClientId,
            ["client_secret"] = EntraSandboxFixture.ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        }), Ct);
        token.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync(Ct));
        var client = new HttpClient { BaseAddress = new Uri(host.BaseAddress + "/sandbox/graph/v1.0/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
        return client;
    }

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
            => Task.FromResult(token);
    }
}
