using FederationPortal.Core.Clouds;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Security;
using FederationPortal.Sandbox.Aws;
using FederationPortal.Sandbox.Entra;
using FederationPortal.Sandbox.Entra.Login;
using FederationPortal.Sandbox.People;
using FederationPortal.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox;

/// <summary>How a host takes the emulator in: <c>builder.AddSandbox()</c> and <c>app.MapSandbox()</c>, nothing else.</summary>
public static class SandboxHostingExtensions
{
    /// <summary>
    /// In Sandbox mode (<c>Portal:Mode</c>), the emulated tenant and account, served in process from the portal's data
    /// folder, and the portal's clouds pointed at them. In Live mode, nothing.
    /// </summary>
    public static IHostApplicationBuilder AddSandbox(this IHostApplicationBuilder builder)
    {
        var portal = builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();
        if (portal.Mode == PortalMode.Sandbox)
        {
            builder.Services.AddSandbox(portal.ResolveDataDirectory());
        }

        return builder;
    }

    /// <summary>
    /// The emulated tenant and account, their shared store and sign-in directory, and the ports a host's clouds use to
    /// reach them (endpoints, mode info, browserless SAML sign-in), replacing Live's defaults.
    /// </summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(_ => new SandboxDocumentStore(dataDirectory));
        services.AddSingleton<SandboxDirectory>();
        services.AddSingleton<IPortalSignInDirectory>(sp => sp.GetRequiredService<SandboxDirectory>());
        services.AddSandboxAws();
        services.AddSandboxEntra();

        services.RemoveAll<ICloudEndpointsProvider>().AddSingleton<ICloudEndpointsProvider, SandboxCloudEndpointsProvider>();
        services.RemoveAll<IPortalModeInfo>().AddSingleton<IPortalModeInfo, SandboxPortalModeInfo>();
        services.AddHttpClient(SandboxSamlSignInSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        services.RemoveAll<ISamlSignInSource>().AddSingleton<ISamlSignInSource, SandboxSamlSignInSource>();
        return services;
    }

    /// <summary>
    /// Maps <c>/sandbox/…</c>: the info document, the emulated AWS endpoints and the emulated Entra endpoints; nothing
    /// when <see cref="AddSandbox(IHostApplicationBuilder)"/> added no emulator (Live mode).
    /// </summary>
    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<SandboxDocumentStore>() is null)
        {
            return endpoints;
        }

        var sandbox = endpoints.MapGroup("/sandbox").ExcludeFromDescription();
        sandbox.MapGet("/info", (HttpContext context, IOptions<SandboxOptions> options) =>
            Results.Json(SandboxInfo.For(options.Value, $"{context.Request.Scheme}://{context.Request.Host}")))
            .AllowAnonymous();
        sandbox.MapSandboxAws();
        sandbox.MapSandboxEntra();
        return endpoints;
    }
}
