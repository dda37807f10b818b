using FederationPortal.Core.Entra;
using FederationPortal.Core.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Clouds.Entra;

/// <summary>The Entra connector: Microsoft.Graph SDK against the configured Graph base URL.</summary>
internal static class EntraConnectorExtensions
{
    public static IServiceCollection AddEntraConnector(this IServiceCollection services)
    {
        // The token endpoint's client (Entra's login, or the sandbox's); Graph's own clients come from the factory.
        services.AddHttpClient(GraphServiceClientFactory.TokenClientName).ConfigurePrimaryHttpMessageHandler(CloudTransport.PrimaryHandler);
        services.AddSingleton<GraphServiceClientFactory>();
        services.AddSingleton<IEntraDirectoryService, EntraDirectoryService>();
        services.AddSingleton<IEntraActivityLogs, EntraActivityLogs>();
        return services;
    }
}
