using FederationPortal.Clouds.Aws;
using FederationPortal.Clouds.Entra;
using FederationPortal.Core.Federation;
using Microsoft.Extensions.DependencyInjection;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds;

public static class CloudsServiceCollectionExtensions
{
    /// <summary>
    /// The connectors behind the Core cloud ports. The same adapters serve Live and Sandbox: the endpoints and
    /// credentials they use come from the <see cref="ICloudEndpointsProvider"/> the composition root registers.
    /// </summary>
    public static IServiceCollection AddClouds(this IServiceCollection services)
    {
        services.AddAwsConnector();
        services.AddEntraConnector();
        services.AddHttpClient(nameof(SandboxSamlSignInSource)).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        services.AddSingleton<ISamlSignInSource, SandboxSamlSignInSource>();
        return services;
    }
}
