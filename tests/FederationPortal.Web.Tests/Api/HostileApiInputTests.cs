using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Api;

/// <summary>
/// Bad and hostile input through the API: each gets a 400 that names the field (or where the body broke), is audited,
/// and leaves nothing half-applied.
/// </summary>
public sealed class HostileApiInputTests : IAsyncLifetime
{
    private const string Tenant = SetupDriver.TenantId;
    private const string Account = SetupDriver.AccountId;
    private readonly PortalHost host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _ = host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    public static TheoryData<string, string> MalformedBodies() => new()
    {
        { "truncated", """{"name":"Contoso","entraTenantId":""" },
        { "wrong type", """{"name":"Contoso","entraTenantId":"x","awsAccountId":"111122223333","desiredState":{"roles":"not-a-list"}}""" },
        { "not json", "name=Contoso&awsAccountId=111122223333" },
        { "array", "[1,2,3]" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_body_gets_a_400_saying_where_it_broke_and_is_audited(string kind, string body)
    {
        using var client = Client();
        var response = await client.PostAsync("api/environments", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var message = problem["errors"]!["body"]![0]!.GetValue<string>();
        Assert.Contains("not valid JSON", message, StringComparison.Ordinal);
        Assert.Contains("line", message, StringComparison.Ordinal);
        Assert.Empty(await EnvironmentsAsync());
        var audited = await AuditAsync("api.request");
        Assert.Contains(audited, e => e.Outcome == AuditOutcome.Failure && e.TargetId == "POST /api/environments" && e.ErrorMessage == message);
        _ = kind;
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Contoso\u0000Prod")]
    [InlineData("Contoso' OR '1'='1")]
    [InlineData("x")]
    public async Task A_hostile_environment_name_is_refused_naming_the_field(string name)
    {
        using var client = Client();
        var response = await client.PostAsync("api/environments", Json(new JsonObject { ["name"] = name, ["entraTenantId"] = Tenant, ["awsAccountId"] = Account }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!["Name"]);
        Assert.Empty(await EnvironmentsAsync());
    }

    [Fact]
    public async Task An_environment_with_a_refused_desired_state_is_not_created_at_all()
    {
        using var client = Client();
        var body = new JsonObject
        {
            ["name"] = "Contoso half",
            ["entraTenantId"] = Tenant,
            ["awsAccountId"] = Account,
            ["desiredState"] = new JsonObject
            {
                ["roles"] = new JsonArray(
                    new JsonObject { ["name"] = "Admins; DROP TABLE Roles", ["template"] = "ReadOnly" },
                    new JsonObject { ["name"] = "Custom", ["template"] = "Custom", ["managedPolicyArns"] = new JsonArray("""{"Version":"2012-10-17","Statement":[]}""") }),
                ["uploadedMetadata"] = """<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>""",
            },
        };

        var response = await client.PostAsync("api/environments", Json(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!.AsObject();
        Assert.Contains("not a valid IAM role name", errors["desiredState.roles[0].name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("not a managed policy ARN", errors["desiredState.roles[1].managedPolicyArns"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("root:x:0:0", errors["desiredState.uploadedMetadata"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await EnvironmentsAsync());
        Assert.Contains(await AuditAsync("environment.create"), e => e.Outcome == AuditOutcome.Failure && e.TargetId == "Contoso half");
    }

    [Fact]
    public async Task A_refused_desired_state_leaves_the_saved_one_untouched()
    {
        var environment = await new SetupDriver(host).CreateEnvironmentAsync("Contoso keep");
        await new SetupDriver(host).SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        using var client = Client();
        var before = await (await client.GetAsync($"api/environments/{environment.Id}", Ct)).Content.ReadAsStringAsync(Ct);

        var response = await client.PutAsync($"api/environments/{environment.Id}/desired-state",
            Json(new JsonObject { ["roles"] = new JsonArray(new JsonObject { ["name"] = new string('r', 65) }), ["samlProviderName"] = "Entra/../../evil" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!.AsObject();
        Assert.NotNull(errors["roles[0].name"]);
        Assert.NotNull(errors["samlProviderName"]);
        var after = await (await client.GetAsync($"api/environments/{environment.Id}", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(JsonNode.Parse(before)!["desiredState"]!.ToJsonString(), JsonNode.Parse(after)!["desiredState"]!.ToJsonString());
    }

    [Theory]
    [InlineData("PD94bWwgdmVyc2lvbj0iMS4wIj8+PCFET0NUWVBFIHIgWzwhRU5USVRZIHggU1lTVEVNICJmaWxlOi8vL2V0Yy9wYXNzd2QiPl0+PHI+Jng7PC9yPg==")] // XXE
    [InlineData("not base64 at all!")]
    public async Task A_hostile_pasted_saml_response_is_a_failed_check_with_reasons_not_an_error(string pasted)
    {
        var environment = await new SetupDriver(host).CreateEnvironmentAsync("Contoso paste");
        await new SetupDriver(host).SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        using var client = Client();

        var response = await client.PostAsync($"api/environments/{environment.Id}/signin-test/pasted", Json(new JsonObject { ["samlResponse"] = pasted }), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.False(result["success"]!.GetValue<bool>());
        Assert.DoesNotContain("root:x:0:0", result.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync("signin-test.pasted"), e => e.Outcome == AuditOutcome.Failure);

        var missing = await client.PostAsync($"api/environments/{environment.Id}/signin-test/pasted", Json(new JsonObject()), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.NotNull(JsonNode.Parse(await missing.Content.ReadAsStringAsync(Ct))!["errors"]!["samlResponse"]);
    }

    private HttpClient Client()
    {
        var client = host.CreateRealClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminApiToken);
        return client;
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<IReadOnlyList<FederationEnvironment>> EnvironmentsAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EnvironmentService>().ListAsync(Ct);
    }

    private async Task<IReadOnlyList<AuditEvent>> AuditAsync(string action)
        => (await host.Services.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = action }, Ct)).Items;
}
