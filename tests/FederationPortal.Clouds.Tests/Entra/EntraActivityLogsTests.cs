using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FederationPortal.Clouds.Entra;
using FederationPortal.Clouds.Tests.Aws;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.Logging.Abstractions;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Tests.Entra;

/// <summary>The Entra activity logs through the Graph SDK, against a transport answering as Graph does.</summary>
public sealed class EntraActivityLogsTests
{
    private const string Graph = "http://graph.test/v1.0";
    private static readonly DateTimeOffset Since = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static (EntraActivityLogs Logs, RecordingHandler Graph) Create(params Func<RecordedRequest, HttpResponseMessage>[] script)
    {
        var graph = new RecordingHandler(script);
        var endpoints = new FixedEndpoints(new CloudEndpoints
        {
            IamEndpoint = new Uri("http://iam.test/"),
            StsEndpoint = new Uri("http://sts.test/"),
            GraphBaseUrl = new Uri(Graph + "/"),
            LoginBaseUrl = new Uri("http://login.test/"),
            TenantId = "tenant-1",
            ClientId = "client-1",
            ClientSecret = "not-a-secret",
            IsSandbox = true,
        });
        var logs = new EntraActivityLogs(endpoints, new GraphServiceClientFactory(new TokenEndpoint(), TimeProvider.System) { FinalHandler = () => graph }, NullLogger<EntraActivityLogs>.Instance);
        return (logs, graph);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body)
        => new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Collection(string? nextLink, params JsonObject[] values)
    {
        var body = new JsonObject { ["@odata.context"] = $"{Graph}/$metadata#auditLogs/signIns", ["value"] = new JsonArray(values.Cast<JsonNode?>().ToArray()) };
        if (nextLink is not null)
        {
            body["@odata.nextLink"] = nextLink;
        }

        return Json(HttpStatusCode.OK, body);
    }

    private static JsonObject SignIn(string id, string createdDateTime, string user, int errorCode = 0, string? failureReason = null) => new()
    {
        ["id"] = id,
        ["createdDateTime"] = createdDateTime,
        ["userDisplayName"] = user.Split('@')[0],
        ["userPrincipalName"] = user,
        ["userId"] = "d1a2c3b4-0000-4000-8000-000000000001",
        ["appId"] = "app-1",
        ["appDisplayName"] = "AWS Production",
        ["ipAddress"] = "203.0.113.7",
        ["clientAppUsed"] = "Browser",
        ["correlationId"] = "c0ffee00-0000-4000-8000-000000000001",
        ["isInteractive"] = true,
        ["status"] = new JsonObject { ["errorCode"] = errorCode, ["failureReason"] = failureReason, ["additionalDetails"] = null },
    };

    [Fact]
    public async Task Sign_ins_are_read_with_a_time_and_app_filter_and_paged_by_nextLink()
    {
        var (logs, graph) = Create(
            _ => Collection($"{Graph}/auditLogs/signIns?$top=999&$skiptoken=page2",
                SignIn("s-1", "2026-11-27T08:59:00Z", "alice@contoso.com"),
                SignIn("s-2", "2026-11-27T08:58:00Z", "bob@contoso.com", 50105, "The signed in user is not assigned to a role for the application.")),
            _ => Collection(null, SignIn("s-3", "2026-11-27T08:30:00.1234567Z", "carol@contoso.com")));

        var signIns = await logs.ListSignInsAsync(Since, "app-1", 1000, TestContext.Current.CancellationToken);

        Assert.Equal(2, graph.Requests.Count);
        var first = graph.Requests[0];
        Assert.Equal(HttpMethod.Get, first.Method);
        Assert.Equal("/v1.0/auditLogs/signIns", first.Uri.AbsolutePath);
        var query = Uri.UnescapeDataString(first.Uri.Query);
        Assert.Contains("$filter=createdDateTime ge 2026-11-27T08:00:00Z and appId eq 'app-1'", query);
        Assert.Contains("$top=999", query);
        Assert.StartsWith("Bearer ", first.Header("Authorization"), StringComparison.Ordinal);
        Assert.Contains("$skiptoken=page2", Uri.UnescapeDataString(graph.Requests[1].Uri.Query));

        Assert.Equal(["s-1", "s-2", "s-3"], signIns.Select(s => s.Id));
        var refused = signIns[1];
        Assert.Equal(50105, refused.ErrorCode);
        Assert.False(refused.Succeeded);
        Assert.Equal("The signed in user is not assigned to a role for the application.", refused.FailureReason);
        var alice = signIns[0];
        Assert.True(alice.Succeeded);
        Assert.Equal("alice@contoso.com", alice.UserPrincipalName);
        Assert.Equal("app-1", alice.AppId);
        Assert.Equal("AWS Production", alice.AppDisplayName);
        Assert.Equal("203.0.113.7", alice.IpAddress);
        Assert.Equal("c0ffee00-0000-4000-8000-000000000001", alice.CorrelationId);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 8, 59, 0, TimeSpan.Zero), alice.CreatedDateTime);
    }

    [Fact]
    public async Task Paging_stops_at_the_maximum()
    {
        var (logs, graph) = Create(
            _ => Collection($"{Graph}/auditLogs/signIns?$skiptoken=page2", SignIn("s-1", "2026-11-27T08:59:00Z", "a@contoso.com"), SignIn("s-2", "2026-11-27T08:58:00Z", "b@contoso.com")),
            _ => Collection(null, SignIn("s-3", "2026-11-27T08:57:00Z", "c@contoso.com")));

        var signIns = await logs.ListSignInsAsync(Since, null, 2, TestContext.Current.CancellationToken);

        Assert.Equal(["s-1", "s-2"], signIns.Select(s => s.Id));
        var request = Assert.Single(graph.Requests);
        Assert.Contains("$top=2", Uri.UnescapeDataString(request.Uri.Query));
        Assert.DoesNotContain("appId", Uri.UnescapeDataString(request.Uri.Query));
    }

    [Fact]
    public async Task A_missing_permission_surfaces_as_Graphs_error()
    {
        var (logs, _) = Create(_ => Json(HttpStatusCode.Forbidden, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = "Authorization_RequestDenied", ["message"] = "Insufficient privileges to complete the operation." },
        }));

        var error = await Assert.ThrowsAsync<EntraServiceException>(() => logs.ListSignInsAsync(Since, "app-1", 10, TestContext.Current.CancellationToken));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Authorization_RequestDenied", error.Code);
        Assert.Contains("Insufficient privileges", error.Message);
    }

    [Fact]
    public async Task Directory_audits_are_read_since_a_time_and_mapped()
    {
        var (logs, graph) = Create(_ => Collection(null, new JsonObject
        {
            ["id"] = "Directory_1",
            ["category"] = "ApplicationManagement",
            ["correlationId"] = "c-1",
            ["result"] = "success",
            ["resultReason"] = "",
            ["activityDisplayName"] = "Update application",
            ["activityDateTime"] = "2026-11-27T08:45:00Z",
            ["loggedByService"] = "Core Directory",
            ["operationType"] = "Update",
            ["initiatedBy"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "u-1", ["userPrincipalName"] = "admin@contoso.com" } },
            ["targetResources"] = new JsonArray(new JsonObject { ["id"] = "obj-1", ["displayName"] = "AWS Production", ["type"] = "Application" }),
            ["additionalDetails"] = new JsonArray(),
        }));

        var audit = Assert.Single(await logs.ListDirectoryAuditsAsync(Since, 50, TestContext.Current.CancellationToken));

        Assert.Equal("/v1.0/auditLogs/directoryAudits", graph.Requests[0].Uri.AbsolutePath);
        Assert.Contains("$filter=activityDateTime ge 2026-11-27T08:00:00Z", Uri.UnescapeDataString(graph.Requests[0].Uri.Query));
        Assert.Equal("Update application", audit.ActivityDisplayName);
        Assert.Equal("ApplicationManagement", audit.Category);
        Assert.Equal("Success", audit.Result);
        Assert.Equal("admin@contoso.com", audit.InitiatedBy);
        Assert.Equal(["AWS Production"], audit.TargetResources);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 8, 45, 0, TimeSpan.Zero), audit.ActivityDateTime);
    }

    [Fact]
    public async Task Subscribed_skus_list_their_switched_on_service_plans()
    {
        static JsonObject Plan(string name, string status) => new()
        {
            ["servicePlanId"] = Guid.NewGuid().ToString(), ["servicePlanName"] = name, ["provisioningStatus"] = status, ["appliesTo"] = "User",
        };

        var (logs, graph) = Create(_ => Collection(null, new JsonObject
        {
            ["capabilityStatus"] = "Enabled",
            ["consumedUnits"] = 14,
            ["id"] = "tenant_078d2b04-f1bd-4342-a27b-0e3e1bd0a5a5",
            ["skuId"] = "078d2b04-f1bd-4342-a27b-0e3e1bd0a5a5",
            ["skuPartNumber"] = "AAD_PREMIUM",
            ["appliesTo"] = "User",
            ["prepaidUnits"] = new JsonObject { ["enabled"] = 25, ["suspended"] = 0, ["warning"] = 0 },
            ["servicePlans"] = new JsonArray(Plan("AAD_PREMIUM", "Success"), Plan("MFA_PREMIUM", "Disabled"), Plan("ADALLOM_S_DISCOVERY", "PendingProvisioning")),
        }));

        var sku = Assert.Single(await logs.ListSubscribedSkusAsync(TestContext.Current.CancellationToken));

        Assert.Equal("/v1.0/subscribedSkus", graph.Requests[0].Uri.AbsolutePath);
        Assert.Equal("078d2b04-f1bd-4342-a27b-0e3e1bd0a5a5", sku.SkuId);
        Assert.Equal("AAD_PREMIUM", sku.SkuPartNumber);
        Assert.Equal("Enabled", sku.CapabilityStatus);
        Assert.Equal(14, sku.ConsumedUnits);
        Assert.Equal(25, sku.EnabledUnits);
        Assert.Equal(["AAD_PREMIUM", "ADALLOM_S_DISCOVERY"], sku.ServicePlanNames);
    }

    [Fact]
    public void OData_times_are_UTC_to_the_second()
        => Assert.Equal("2026-11-27T07:00:00Z", EntraActivityLogs.ODataTime(new DateTimeOffset(2026, 11, 27, 8, 0, 0, 250, TimeSpan.FromHours(1))));

    private sealed class FixedEndpoints(CloudEndpoints endpoints) : ICloudEndpointsProvider
    {
        public CloudEndpoints GetEndpoints() => endpoints;
    }

    /// <summary>The (sandbox-style) token endpoint the credential asks for a Graph token.</summary>
    private sealed class TokenEndpoint : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new TokenHandler());

        private sealed class TokenHandler : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Assert.Equal("/tenant-1/oauth2/v2.0/token", request.RequestUri!.AbsolutePath);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"token_type":"Bearer","expires_in":3600,"access_token":"header.payload.signature"}""", Encoding.UTF8, "application/json"),
                });
            }
        }
    }
}
