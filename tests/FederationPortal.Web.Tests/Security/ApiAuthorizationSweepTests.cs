using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Security;

/// <summary>Every mutating API endpoint, whatever it is, refuses readers (403, audited) and unauthenticated callers (401).</summary>
public sealed class ApiAuthorizationSweepTests
{
    [Fact]
    public async Task Every_mutating_api_endpoint_refuses_readers_anonymous_and_revoked_tokens()
    {
        await using var host = new PortalHost();
        var driver = new SetupDriver(host);
        _ = host.BaseAddress;
        var environment = await driver.CreateEnvironmentAsync("Contoso sweep");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        var operation = await driver.ApplyAsync(environment.Id, "app");
        await driver.WaitAsync(operation.Id);

        var reader = await driver.WithScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(SetupDriver.Admin, "reader", PortalRoles.Reader, 1));
        var revoked = await driver.WithScopeAsync(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(SetupDriver.Admin, "revoked", PortalRoles.Admin, 1));
        await driver.WithScopeAsync<object?>(async sp =>
        {
            await sp.GetRequiredService<ApiTokenService>().RevokeAsync(SetupDriver.Admin, revoked.Token.Id);
            return null;
        });

        var mutating = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Where(e => e.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            .Where(e => !e.Pattern.EndsWith("/plan", StringComparison.Ordinal)) // computing a plan is a POST that changes nothing
            .Where(e => !e.Pattern.Contains("/signin-test", StringComparison.Ordinal)) // sign-in tests change nothing; readers may run them (audited)
            .Distinct()
            .ToList();
        Assert.True(mutating.Count >= 5, $"expected the API's mutating endpoints, found {mutating.Count}");

        var denials = 0;
        foreach (var (method, pattern) in mutating)
        {
            var path = pattern.Replace("{id:guid}", (pattern.StartsWith("/api/operations", StringComparison.Ordinal) ? operation.Id : environment.Id).ToString(), StringComparison.Ordinal)
                .TrimStart('/');
            foreach (var (token, expected) in new (string?, HttpStatusCode)[] { (reader.Value, HttpStatusCode.Forbidden), (null, HttpStatusCode.Unauthorized), (revoked.Value, HttpStatusCode.Unauthorized) })
            {
                using var client = host.CreateRealClient();
                using var request = new HttpRequestMessage(new HttpMethod(method), path)
                {
                    Content = new StringContent("""{"name":"x","entraTenantId":"8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63","awsAccountId":"111122223333","confirmName":"Contoso sweep","roles":[]}""", Encoding.UTF8, "application/json"),
                };
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == expected, $"{method} {pattern} as {(token == reader.Value ? "reader" : token is null ? "anonymous" : "revoked token")}: {(int)response.StatusCode}, expected {(int)expected}");
                denials += expected == HttpStatusCode.Forbidden ? 1 : 0;
            }
        }

        var audit = host.Services.GetRequiredService<IAuditTrail>();
        var denied = await audit.QueryAsync(new AuditQuery { Outcome = AuditOutcome.Denied, ActorId = $"token:{reader.Token.Id}", PageSize = 500 }, TestContext.Current.CancellationToken);
        Assert.Equal(denials, denied.TotalCount);
        var refusedTokens = await audit.QueryAsync(new AuditQuery { Action = "auth.api-token", PageSize = 500 }, TestContext.Current.CancellationToken);
        Assert.Equal(mutating.Count, refusedTokens.TotalCount);

        // Nothing changed: the environment is still there with its app.
        Assert.NotEmpty(await driver.WithScopeAsync(sp => sp.GetRequiredService<FederationPortal.Core.Federation.SetupService>().GetInventoryAsync(environment.Id)));
    }
}
