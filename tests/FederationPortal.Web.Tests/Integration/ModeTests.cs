using FederationPortal.TestSupport;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace FederationPortal.Web.Tests.Integration;

public sealed class ModeTests
{
    [Fact]
    public async Task Live_mode_with_missing_entra_settings_stops_at_start_naming_the_key()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Portal:Mode"] = "Live" });
        var ex = Assert.ThrowsAny<Exception>(() => host.BaseAddress);
        var validation = ex as OptionsValidationException ?? ex.InnerException as OptionsValidationException
                         ?? throw new Xunit.Sdk.XunitException($"Expected an OptionsValidationException, got {ex}");
        Assert.Contains(validation.Failures, f => f.Contains("Portal:Entra:TenantId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mode_that_does_not_exist_stops_the_portal_at_start()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Portal:Mode"] = "Staging" });
        var ex = Assert.ThrowsAny<Exception>(() => host.BaseAddress);
        Assert.Contains("Mode", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_mode_serves_no_sandbox_endpoints_and_signs_in_through_entra()
    {
        var tenant = Guid.NewGuid().ToString();
        await using var host = new PortalHost(
            new Dictionary<string, string?>
            {
                ["Portal:Mode"] = "Live",
                ["Portal:Entra:TenantId"] = tenant,
                ["Portal:Entra:ClientId"] = Guid.NewGuid().ToString(),
                ["Portal:Entra:ClientSecret"] = "not-used-in-this-test",
            },
            configureServices: services => WithoutEntraDiscovery(services, tenant));

        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? string.Empty).ToList();
        Assert.Contains(routes, r => r.StartsWith("/account/signin", StringComparison.Ordinal));
        Assert.DoesNotContain(routes, r => r.StartsWith("/sandbox", StringComparison.Ordinal));

        using var client = host.CreateRealClient();
        var info = await client.GetAsync("sandbox/info", TestContext.Current.CancellationToken);
        Assert.NotEqual(System.Net.HttpStatusCode.OK, info.StatusCode);

        // Live sign-in is Entra's: a challenge that redirects to login.microsoftonline.com (not followed here).
        var signIn = await client.GetAsync("account/signin?returnUrl=/audit", TestContext.Current.CancellationToken);
        Assert.True(signIn.StatusCode == System.Net.HttpStatusCode.Redirect, host.Logs.ToString());
        Assert.StartsWith($"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize", signIn.Headers.Location!.ToString());
    }

    /// <summary>No network here: give the OpenID Connect handler Entra's metadata instead of letting it download it.</summary>
    internal static void WithoutEntraDiscovery(IServiceCollection services, string tenant)
        => services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            options.Configuration = new OpenIdConnectConfiguration
            {
                Issuer = $"https://login.microsoftonline.com/{tenant}/v2.0",
                AuthorizationEndpoint = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
                EndSessionEndpoint = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/logout",
            };
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(options.Configuration);
        });
}
