using FederationPortal.Core.Security;
using FederationPortal.Sandbox.Aws;
using FederationPortal.Sandbox.People;
using FederationPortal.Sandbox.Entra;
using FederationPortal.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>The emulated tenant and account, their shared store and the sandbox sign-in directory.</summary>
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
        return services;
    }

    /// <summary>Maps <c>/sandbox/…</c>: the info document, the emulated AWS endpoints and the emulated Entra endpoints.</summary>
    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder endpoints)
    {
        var sandbox = endpoints.MapGroup("/sandbox").ExcludeFromDescription();
        sandbox.MapGet("/info", (HttpContext context, IOptions<SandboxOptions> options) =>
            Results.Json(SandboxInfo.For(options.Value, $"{context.Request.Scheme}://{context.Request.Host}")))
            .AllowAnonymous();
        sandbox.MapSandboxAws();
        sandbox.MapSandboxEntra();
        return endpoints;
    }
}
