using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Api;

public sealed class EnvironmentApiTests : IAsyncLifetime
{
    private readonly PortalHost host = new();

    public ValueTask InitializeAsync()
    {
        _ = host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private HttpClient Client(string? token)
    {
        var client = host.CreateRealClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private async Task<string> CreateTokenAsync(string role)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(SetupDriver.Admin, $"test {role}", role, 1);
        return created.Value;
    }

    private static object Body(string name, bool withState = true) => new
    {
        name,
        entraTenantId = SetupDriver.TenantId,
        awsAccountId = SetupDriver.AccountId,
        desiredState = withState ? JsonSerializer.SerializeToNode(SetupDriver.StandardSpec(provisioning: false), FederationPortal.Core.Federation.EnvironmentSpec.Json) : null,
    };

    [Fact]
    public async Task Automation_creates_plans_and_applies_an_environment_through_the_api()
    {
        using var client = Client(host.AdminApiToken);
        var created = await client.PostAsJsonAsync("api/environments", Body("Contoso via API"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var environmentId = JsonNode.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["environment"]!["id"]!.GetValue<Guid>();

        var plan = JsonNode.Parse(await (await client.PostAsync($"api/environments/{environmentId}/plan", null, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Contains(plan["actions"]!.AsArray(), a => a!["id"]!.GetValue<string>() == "aws.role:FP-ReadOnly" && a["change"]!.GetValue<string>() == "Create");

        var apply = await client.PostAsync($"api/environments/{environmentId}/apply", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, apply.StatusCode);
        var operationUrl = apply.Headers.Location!.ToString().TrimStart('/');

        string status;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var operation = JsonNode.Parse(await client.GetStringAsync(operationUrl, deadline.Token))!;
            status = operation["status"]!.GetValue<string>();
            if (status is "Succeeded" or "Failed" or "Cancelled")
            {
                break;
            }

            await Task.Delay(100, deadline.Token); // polls the operation until it ends or the deadline passes
        }

        Assert.Equal("Succeeded", status);
        var environment = JsonNode.Parse(await client.GetStringAsync($"api/environments/{environmentId}", TestContext.Current.CancellationToken))!;
        Assert.Equal("Active", environment["environment"]!["status"]!.GetValue<string>());
        Assert.Contains(environment["inventory"]!.AsArray(), r => r!["type"]!.GetValue<string>() == "aws.role" && r["cloudId"]!.GetValue<string>().EndsWith(":role/FP-ReadOnly", StringComparison.Ordinal));

        var audit = JsonNode.Parse(await client.GetStringAsync($"api/audit?environmentId={environmentId}&action=aws.role.create", TestContext.Current.CancellationToken))!;
        Assert.Equal(2, audit["totalCount"]!.GetValue<int>());
        Assert.Equal("API token 'Sandbox admin (scripts)'", audit["items"]![0]!["actorName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_desired_state_is_refused_with_400_naming_each_field_and_nothing_is_created()
    {
        using var client = Client(host.AdminApiToken);
        var created = await client.PostAsJsonAsync("api/environments", Body("Bad state", withState: false), TestContext.Current.CancellationToken);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["environment"]!["id"]!.GetValue<Guid>();

        var response = await client.PutAsJsonAsync($"api/environments/{id}/desired-state", new
        {
            roles = new object[] { new { name = "bad name!", template = "ReadOnly" }, new { name = "Ok", template = "Custom" } },
            app = new { certificateValidityMonths = 48 },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["errors"]!.AsObject();
        Assert.Contains("roles[0].name", errors.Select(e => e.Key));
        Assert.Contains("roles[1].managedPolicyArns", errors.Select(e => e.Key));
        Assert.Contains("app.certificateValidityMonths", errors.Select(e => e.Key));
        var spec = JsonNode.Parse(await client.GetStringAsync($"api/environments/{id}", TestContext.Current.CancellationToken))!["desiredState"]!;
        Assert.Empty(spec["roles"]!.AsArray());
    }

    [Fact]
    public async Task A_reader_token_may_read_but_every_change_is_refused_with_403_and_audited()
    {
        using var client = Client(await CreateTokenAsync(PortalRoles.Reader));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/environments", TestContext.Current.CancellationToken)).StatusCode);

        var response = await client.PostAsJsonAsync("api/environments", Body("Reader made"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var audit = host.Services.GetRequiredService<IAuditTrail>();
        var denied = await audit.QueryAsync(new AuditQuery { Action = "environment.create", Outcome = AuditOutcome.Denied }, TestContext.Current.CancellationToken);
        Assert.Equal("API token 'test FederationPortal.Reader'", Assert.Single(denied.Items).ActorName);
    }

    [Fact]
    public async Task Anonymous_unknown_and_revoked_tokens_get_401_and_token_refusals_are_audited()
    {
        using var anonymous = Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/environments", TestContext.Current.CancellationToken)).StatusCode);

        using var unknown = Client("fpt_not_a_token_anyone_issued_000000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("api/environments", TestContext.Current.CancellationToken)).StatusCode);

        var value = await CreateTokenAsync(PortalRoles.Admin);
        using var revoked = Client(value);
        Assert.Equal(HttpStatusCode.OK, (await revoked.GetAsync("api/environments", TestContext.Current.CancellationToken)).StatusCode);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            var token = (await tokens.ListAsync(TestContext.Current.CancellationToken)).Single(t => t.Name == "test FederationPortal.Admin");
            await tokens.RevokeAsync(SetupDriver.Admin, token.Id, TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("api/environments", TestContext.Current.CancellationToken)).StatusCode);

        var refusals = await host.Services.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = "auth.api-token" }, TestContext.Current.CancellationToken);
        Assert.Equal(2, refusals.TotalCount);
        Assert.Contains(refusals.Items, e => e.ErrorMessage!.Contains("revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        var value = await CreateTokenAsync(PortalRoles.Reader);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(host.DataDirectory, "portal.db"), TestContext.Current.CancellationToken);
        var wal = Path.Combine(host.DataDirectory, "portal.db-wal");
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal, TestContext.Current.CancellationToken) : [];
        var secret = System.Text.Encoding.UTF8.GetBytes(value[12..]);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(secret));
        Assert.Equal(-1, walBytes.AsSpan().IndexOf(secret));
        Assert.DoesNotContain(value, host.Logs.ToString());
    }

    [Fact]
    public async Task OpenAPI_document_describes_the_api()
    {
        using var client = Client(null);
        var document = JsonNode.Parse(await client.GetStringAsync("openapi/v1.json", TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/environments", paths);
        Assert.Contains("/api/environments/{id}/apply", paths);
        Assert.Contains("/api/operations/{id}", paths);
        Assert.Contains("/api/audit", paths);
    }
}
