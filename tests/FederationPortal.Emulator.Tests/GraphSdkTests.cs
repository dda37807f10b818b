using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions.Authentication;

namespace FederationPortal.Emulator.Tests;

/// <summary>
/// The Microsoft Graph SDK against the standalone emulator: a client-credentials token from its login endpoint, then
/// reads that page through <c>@odata.nextLink</c> with the SDK's own page iterator. Links honour a TLS-terminating proxy.
/// </summary>
public sealed class GraphSdkTests(EmulatorProcess emulator) : IClassFixture<EmulatorProcess>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string GraphBase => emulator.Info.GetProperty("endpoints").GetProperty("graph").GetString()!;

    [Fact]
    public async Task The_graph_sdk_pages_through_users_and_reads_one_with_a_token_from_the_emulators_login()
    {
        using var http = new HttpClient();
        var graph = new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(new StaticToken(await TokenAsync(http))), GraphBase);

        var firstPage = await graph.Users.GetAsync(request => request.QueryParameters.Top = 2, Cancel);
        Assert.NotNull(firstPage?.OdataNextLink);
        var upns = new List<string>();
        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(graph, firstPage, user =>
        {
            upns.Add(user.UserPrincipalName!);
            return true;
        });
        await iterator.IterateAsync(Cancel);

        var all = await graph.Users.GetAsync(cancellationToken: Cancel);
        Assert.True(upns.Count > 2, $"expected more than one page, read {upns.Count}");
        Assert.Equal(all!.Value!.Select(u => u.UserPrincipalName).Order(), upns.Order());
        Assert.Contains("diego.siciliani@contoso.example", upns);

        var diego = all.Value!.Single(u => u.UserPrincipalName == "diego.siciliani@contoso.example");
        var read = await graph.Users[diego.Id].GetAsync(cancellationToken: Cancel);
        Assert.Equal(diego.DisplayName, read!.DisplayName);

        var templates = await graph.ApplicationTemplates.GetAsync(cancellationToken: Cancel);
        Assert.Contains(templates!.Value!, t => t.DisplayName == "AWS Single-Account Access");
    }

    [Fact]
    public async Task A_request_without_a_token_or_to_an_unknown_path_gets_graphs_error_never_a_redirect()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var anonymous = await http.GetAsync($"{GraphBase}/users", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", (await anonymous.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error").GetProperty("code").GetString());

        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"{GraphBase}/noSuchThing");
        unknown.Headers.Authorization = new("Bearer", await TokenAsync(http));
        var answer = await http.SendAsync(unknown, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("BadRequest", (await answer.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error").GetProperty("code").GetString());

        var login = await http.GetAsync($"{emulator.Info.GetProperty("endpoints").GetProperty("login").GetString()}/no/such/path", Cancel);
        Assert.Null(login.Headers.Location);
        Assert.Contains("AADSTS", await login.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Links_it_returns_name_the_tls_terminating_proxy_in_front_of_it()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{GraphBase}/users?$top=1");
        request.Headers.Authorization = new("Bearer", await TokenAsync(http));
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "emulator.contoso.example");

        var page = await (await http.SendAsync(request, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.StartsWith("https://emulator.contoso.example/sandbox/graph/v1.0/users?", page.GetProperty("@odata.nextLink").GetString());
        Assert.StartsWith("https://emulator.contoso.example/sandbox/graph/v1.0/$metadata#users", page.GetProperty("@odata.context").GetString());

        using var info = new HttpRequestMessage(HttpMethod.Get, $"{emulator.BaseAddress}/sandbox/info");
        info.Headers.Add("X-Forwarded-Proto", "https");
        info.Headers.Add("X-Forwarded-Host", "emulator.contoso.example");
        var endpoints = (await (await http.SendAsync(info, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("endpoints");
        Assert.Equal("https://emulator.contoso.example/sandbox/aws/iam", endpoints.GetProperty("iam").GetString());
    }

    private async Task<string> TokenAsync(HttpClient http)
    {
        var client = emulator.Info.GetProperty("graphClient");
        var response = await http.PostAsync(emulator.Info.GetProperty("endpoints").GetProperty("token").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.GetProperty("clientId").GetString()!,
            ["client_secret"] = client.GetProperty("clientSecret").GetString()!,
            ["scope"] = "https://graph.microsoft.com/.default",
        }), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("access_token").GetString()!;
    }

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
            => Task.FromResult(token);
    }
}
