using FederationPortal.Core.Environments;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The domain services. Persistence ports come from the Data project.</summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<EnvironmentService>();
        return services;
    }
}
