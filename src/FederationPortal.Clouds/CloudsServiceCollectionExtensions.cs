using FederationPortal.Clouds.Aws;
using FederationPortal.Clouds.Entra;
using FederationPortal.Core.Clouds;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Federation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FederationPortal.Clouds;

public static class CloudsServiceCollectionExtensions
{
    /// <summary>
    /// The connectors behind the Core cloud ports. The same adapters serve Live and Sandbox: the endpoints and
    /// credentials they use come from the <see cref="ICloudEndpointsProvider"/>. Live's endpoints, mode info and
    /// (absent) browserless sign-in are the defaults; an emulator registers its own, before or after this call.
    /// </summary>
    public static IServiceCollection AddClouds(this IServiceCollection services)
    {
        services.AddAwsConnector();
        services.AddEntraConnector();
        services.TryAddSingleton<ICloudEndpointsProvider, LiveCloudEndpointsProvider>();
        services.TryAddSingleton<IPortalModeInfo, LivePortalModeInfo>();
        services.TryAddSingleton<ISamlSignInSource, UnavailableSamlSignInSource>();
        return services;
    }
}
