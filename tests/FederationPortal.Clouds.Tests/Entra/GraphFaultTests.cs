using FederationPortal.Core.Entra;

namespace FederationPortal.Clouds.Tests.Entra;

/// <summary>A sandbox that throttles a third of Graph calls (429 + Retry-After) and fails some with 503.</summary>
public sealed class FlakyGraphFixture() : EntraConnectorFixture(new Dictionary<string, string?>
{
    ["Sandbox:InstantiateDelayMilliseconds"] = "0",
    ["Sandbox:Faults:ThrottleRate"] = "0.3",
    ["Sandbox:Faults:ServerErrorRate"] = "0.1",
    ["Sandbox:Faults:Seed"] = "7",
});

public sealed class GraphFaultTests(FlakyGraphFixture fixture) : IClassFixture<FlakyGraphFixture>
{
    [Fact]
    public async Task The_connector_rides_out_throttling_and_transient_errors_by_honouring_Retry_After()
    {
        var ct = TestContext.Current.CancellationToken;
        var users = await fixture.Entra.ListUsersAsync(cancellationToken: ct);
        Assert.Equal(7, users.Count);
        var app = await fixture.Entra.InstantiateAwsAppAsync("AWS Flaky", ct);
        await fixture.Entra.SetSamlSingleSignOnAsync(app.ServicePrincipal.Id, ct);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("saml", (await fixture.Entra.GetServicePrincipalAsync(app.ServicePrincipal.Id, ct))!.PreferredSingleSignOnMode);
        }
    }
}

public sealed class GraphFaultWireTests(FlakyGraphFixture fixture) : IClassFixture<FlakyGraphFixture>
{
    [Fact]
    public async Task Throttled_calls_carry_Retry_After_and_Graphs_TooManyRequests_error()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.Host.CreateRealClient();
        using var tokenResponse = await client.PostAsync("sandbox/login/8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "5c1d9e2a-7f3b-4c8d-a6e1-0b9f2d4c7e15",
            ["client_secret"] = "sandbox-graph-client-secret-not-a-real-one",
            ["scope"] = "https://graph.microsoft.com/.default",
        }), ct);
        var token = System.Text.Json.Nodes.JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync(ct))!["access_token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var statuses = new HashSet<int>();
        for (var i = 0; i < 40 && !(statuses.Contains(429) && statuses.Contains(503)); i++)
        {
            using var response = await client.GetAsync("sandbox/graph/v1.0/users", ct);
            statuses.Add((int)response.StatusCode);
            if ((int)response.StatusCode is 429 or 503)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
                var code = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["error"]!["code"]!.GetValue<string>();
                Assert.Equal((int)response.StatusCode == 429 ? "TooManyRequests" : "serviceNotAvailable", code);
            }
        }

        Assert.Contains(429, statuses);
        Assert.Contains(503, statuses);
        Assert.Contains(200, statuses);
    }
}
