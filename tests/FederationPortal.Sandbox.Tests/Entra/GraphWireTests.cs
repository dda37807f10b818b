using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FederationPortal.Sandbox.Tests.Entra;

/// <summary>The emulated Graph on the wire: tokens, 401s, error bodies, OData paging/filter/select, delayed instantiation.</summary>
public sealed class GraphWireTests(EntraSandboxFixture fixture) : IClassFixture<EntraSandboxFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_endpoint_refuses_a_wrong_secret_with_AADSTS7000215()
    {
        using var client = fixture.Host.CreateRealClient();
        using var response = await client.PostAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = EntraSandboxFixture.ClientId,
            ["client_secret"] = "wrong",
            ["scope"] = "https://graph.microsoft.com/.default",
        }), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS7000215:", body["error_description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "Access token is empty.")]
    [InlineData("Bearer not.a.token", "Access token validation failure. Invalid signature.")]
    public async Task Graph_without_a_valid_bearer_answers_401_with_Graphs_error_body(string? authorization, string message)
    {
        using var client = new HttpClient { BaseAddress = new Uri(fixture.Host.BaseAddress + "/sandbox/graph/v1.0/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "users");
        request.Headers.TryAddWithoutValidation("client-request-id", "abc-123");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("InvalidAuthenticationToken", error["code"]!.GetValue<string>());
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.Equal("abc-123", error["innerError"]!["client-request-id"]!.GetValue<string>());
        Assert.True(Guid.TryParse(error["innerError"]!["request-id"]!.GetValue<string>(), out _));
        Assert.NotNull(error["innerError"]!["date"]);
    }

    [Theory]
    [InlineData("sandbox/graph/v1.0/nonsense/items", 400, "Resource not found for the segment 'nonsense'.")]
    [InlineData("sandbox/graph/v9.9/users", 400, "Invalid version: v9.9")]
    public async Task An_unknown_graph_path_answers_with_graphs_error_body_and_never_redirects(string path, int status, string message)
    {
        using var graph = await fixture.GraphClientAsync(Ct);
        using var response = await graph.GetAsync(new Uri(fixture.Host.BaseAddress + "/" + path), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("BadRequest", error["code"]!.GetValue<string>());
        Assert.Equal(message, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_graph_path_without_a_token_is_refused_as_graph_refuses_it()
    {
        using var client = fixture.Host.CreateRealClient();
        using var response = await client.GetAsync("sandbox/graph/v1.0/nonsense", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "oauth2/v2.0/token", 400)]
    [InlineData("GET", "oauth2/v2.0/nonsense", 404)]
    [InlineData("POST", "discovery/v2.0/nothing-here", 404)]
    public async Task An_unknown_login_path_answers_with_an_AADSTS_error_and_never_redirects(string method, string path, int status)
    {
        using var client = fixture.Host.CreateRealClient();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"sandbox/login/{EntraSandboxFixture.TenantId}/{path}"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("invalid_request", body["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS900561:", body["error_description"]!.GetValue<string>());
        Assert.Equal(900561, body["error_codes"]![0]!.GetValue<int>());
    }

    [Fact]
    public async Task Users_page_with_nextLink_and_honour_top_select_and_filter()
    {
        using var graph = await fixture.GraphClientAsync(Ct);
        var seen = new List<string>();
        string? next = "users?$top=3&$select=id,userPrincipalName";
        var pages = 0;
        while (next is not null)
        {
            var page = JsonNode.Parse(await graph.GetStringAsync(next, Ct))!;
            Assert.Contains("$metadata#users(id,userPrincipalName)", page["@odata.context"]!.GetValue<string>());
            foreach (var user in page["value"]!.AsArray())
            {
                Assert.Equal(["id", "userPrincipalName"], user!.AsObject().Select(p => p.Key).ToArray());
                seen.Add(user["userPrincipalName"]!.GetValue<string>());
            }

            next = page["@odata.nextLink"]?.GetValue<string>();
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Distinct().Count());

        var filtered = JsonNode.Parse(await graph.GetStringAsync("users?$filter=startswith(displayName,'a')", Ct))!["value"]!.AsArray();
        Assert.Equal(["Adele Vance", "Alex Wilber"], filtered.Select(u => u!["displayName"]!.GetValue<string>()).ToArray());
        var byUpn = JsonNode.Parse(await graph.GetStringAsync("users?$filter=userPrincipalName eq 'LEE.GU@contoso.example'", Ct))!["value"]!.AsArray();
        Assert.Equal("Lee Gu", Assert.Single(byUpn)!["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_queries_and_unknown_resources_get_Graph_errors()
    {
        using var graph = await fixture.GraphClientAsync(Ct);
        using var badProperty = await graph.GetAsync("users?$select=nope", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badProperty.StatusCode);
        Assert.Equal("Request_BadRequest", (await ErrorCode(badProperty)));

        using var badFilter = await graph.GetAsync("users?$filter=displayName gt 'a'", Ct);
        Assert.Equal("Request_UnsupportedQuery", await ErrorCode(badFilter));

        using var missing = await graph.GetAsync($"applications/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Request_ResourceNotFound", await ErrorCode(missing));

        using var segment = await graph.GetAsync("nonsense/stuff", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, segment.StatusCode);
        Assert.Equal("BadRequest", await ErrorCode(segment));
    }

    [Fact]
    public async Task Application_templates_filter_by_display_name_and_get_by_id()
    {
        using var graph = await fixture.GraphClientAsync(Ct);
        var list = JsonNode.Parse(await graph.GetStringAsync("applicationTemplates?$filter=displayName eq 'AWS Single-Account Access'", Ct))!["value"]!.AsArray();
        Assert.Equal("8b1025e4-1dd2-430b-a150-2ef79cd700f5", Assert.Single(list)!["id"]!.GetValue<string>());
        var template = JsonNode.Parse(await graph.GetStringAsync("applicationTemplates/8b1025e4-1dd2-430b-a150-2ef79cd700f5", Ct))!;
        Assert.Contains("saml", template["supportedSingleSignOnModes"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task Instantiated_objects_are_unreadable_until_replication_completes()
    {
        using var graph = await fixture.GraphClientAsync(Ct);
        using var created = await graph.PostAsync("applicationTemplates/8b1025e4-1dd2-430b-a150-2ef79cd700f5/instantiate",
            new StringContent("{\"displayName\":\"AWS Delayed\"}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!;
        var spId = body["servicePrincipal"]!["id"]!.GetValue<string>();
        var roles = body["servicePrincipal"]!["appRoles"]!.AsArray().Select(r => r!["displayName"]!.GetValue<string>()).ToList();
        Assert.Equal(["User", "msiam_access"], roles);

        using var immediately = await graph.GetAsync($"servicePrincipals/{spId}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, immediately.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(100, Ct);
            using var later = await graph.GetAsync($"servicePrincipals/{spId}", Ct);
            status = later.StatusCode;
        }
        while (status == HttpStatusCode.NotFound && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Malformed_json_body_is_a_400_not_a_crash()
    {
        using var graph = await fixture.GraphClientAsync(Ct);
        using var response = await graph.PostAsync("policies/claimsMappingPolicies", new StringContent("{not json", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", await ErrorCode(response));
    }

    [Fact]
    public async Task Wrongly_typed_properties_and_unknown_properties_are_refused_with_400()
    {
        using var graph = await fixture.GraphClientAsync(Ct);
        using var created = await graph.PostAsync("applicationTemplates/8b1025e4-1dd2-430b-a150-2ef79cd700f5/instantiate",
            new StringContent("{\"displayName\":\"AWS Typed\"}", Encoding.UTF8, "application/json"), Ct);
        var appId = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!["application"]!["id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await graph.GetAsync($"applications/{appId}", Ct)).StatusCode == HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        using var wrongType = await graph.PatchAsync($"applications/{appId}", new StringContent("{\"identifierUris\":42}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        using var unknown = await graph.PatchAsync($"applications/{appId}", new StringContent("{\"identifierUri\":[\"https://x.example\"]}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("Request_BadRequest", await ErrorCode(unknown));

        using var patched = await graph.PatchAsync($"applications/{appId}", new StringContent("{\"identifierUris\":[\"https://signin.aws.amazon.com/saml#77\"]}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        var found = JsonNode.Parse(await graph.GetStringAsync("applications?$filter=" + Uri.EscapeDataString("identifierUris/any(x:x eq 'https://signin.aws.amazon.com/saml#77')") + "&$select=id", Ct))!["value"]!.AsArray();
        Assert.Equal(appId, Assert.Single(found)!["id"]!.GetValue<string>());
    }

    private static async Task<string> ErrorCode(HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>();
}
