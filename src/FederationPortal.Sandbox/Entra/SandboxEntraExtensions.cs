using FederationPortal.Sandbox.Entra.Graph;
using FederationPortal.Sandbox.Entra.Login;
using FederationPortal.Sandbox.Entra.Tenant;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Sandbox.Entra;

/// <summary>The emulated Entra tenant: tokens, Graph v1.0, federation metadata, SAML sign-in.</summary>
internal static class SandboxEntraExtensions
{
    public static IServiceCollection AddSandboxEntra(this IServiceCollection services)
    {
        services.AddOptions<SandboxEntraOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SandboxTokenService>();
        services.AddSingleton<SandboxTokenThrottle>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<SandboxEntraTenant>();
        services.AddSingleton<GraphFaults>();
        services.AddSingleton<SandboxSynchronization>();
        services.AddSingleton<EntraActivityLog>();
        services.AddSingleton<DirectoryAuditRecorder>();
        return services;
    }

    public static IEndpointRouteBuilder MapSandboxEntra(this IEndpointRouteBuilder sandbox)
    {
        var login = sandbox.MapGroup("/login/{tenantId}").AllowAnonymous().DisableAntiforgery();
        LoginEndpoints.Map(login);

        var graph = sandbox.MapGroup("/graph/v1.0").AllowAnonymous().DisableAntiforgery().AddEndpointFilter<GraphRequestFilter>();
        GraphEndpoints.Map(graph);

        // Unknown paths answer as Graph does (after the same token check), never with the portal's sign-in redirect.
        graph.Map("/{**path}", (HttpContext c, string? path) =>
            GraphJson.Error(c, 400, "BadRequest", $"Resource not found for the segment '{path?.Split('/')[0]}'."))
            .Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = 1);
        sandbox.MapGroup("/graph").AllowAnonymous().DisableAntiforgery().Map("/{**path}", (HttpContext c, string? path) =>
            GraphJson.Error(c, 400, "BadRequest", $"Invalid version: {path?.Split('/')[0]}"))
            .Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = 2);
        return sandbox;
    }
}
