using FederationPortal.Core.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Core.Federation.Handlers;

public static class FederationServiceCollectionExtensions
{
    /// <summary>The planner and the handlers that carry out federation plans through the cloud ports.</summary>
    public static IServiceCollection AddFederation(this IServiceCollection services, ProvisioningOptions? provisioning = null)
    {
        services.AddSingleton(provisioning ?? new ProvisioningOptions());
        services.AddSingleton<FederationPlanner>();
        services.AddScoped<IActionHandler, EntraAppHandler>();
        services.AddScoped<IActionHandler, EntraSamlSettingsHandler>();
        services.AddScoped<IActionHandler, EntraCertificateHandler>();
        services.AddScoped<IActionHandler, EntraClaimsHandler>();
        services.AddScoped<IActionHandler, SamlProviderHandler>();
        services.AddScoped<IActionHandler, RoleHandler>();
        services.AddScoped<IActionHandler, ProvisioningUserHandler>();
        services.AddScoped<IActionHandler, ProvisioningHandler>();
        services.AddScoped<IActionHandler, DirectAppRolesHandler>();
        services.AddScoped<IActionHandler, AssignmentHandler>();
        return services;
    }
}
