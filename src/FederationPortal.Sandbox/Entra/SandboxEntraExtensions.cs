using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Sandbox.Entra;

/// <summary>The emulated Entra tenant: tokens, Graph v1.0, federation metadata, SAML sign-in. (Owned by issue P3.)</summary>
internal static class SandboxEntraExtensions
{
    public static IServiceCollection AddSandboxEntra(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSandboxEntra(this IEndpointRouteBuilder sandbox) => sandbox;
}
