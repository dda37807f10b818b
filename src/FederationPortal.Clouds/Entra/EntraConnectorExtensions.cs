using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Clouds.Entra;

/// <summary>The Entra connector: Microsoft.Graph SDK against the configured Graph base URL. (Owned by issue P3.)</summary>
internal static class EntraConnectorExtensions
{
    public static IServiceCollection AddEntraConnector(this IServiceCollection services) => services;
}
