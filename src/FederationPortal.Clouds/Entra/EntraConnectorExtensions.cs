using FederationPortal.Core.Entra;
using FederationPortal.Core.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Clouds.Entra;

/// <summary>The Entra connector: Microsoft.Graph SDK against the configured Graph base URL.</summary>
internal static class EntraConnectorExtensions
{
    public static IServiceCollection AddEntraConnector(this IServiceCollection services)
    {
        services.AddHttpClient(EntraDirectoryService.HttpClientName);
        services.AddSingleton<IEntraDirectoryService, EntraDirectoryService>();
        services.AddSingleton<IEntraActivityLogs, EntraActivityLogs>();
        return services;
    }
}
