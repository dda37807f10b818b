using FederationPortal.Core.Configuration;
using FederationPortal.Core.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FederationPortal.Core.Federation.Handlers;

public static class FederationServiceCollectionExtensions
{
    /// <summary>
    /// The planner and the handlers that carry out federation plans through the cloud ports; <see cref="ProvisioningOptions"/>
    /// from <c>Portal:Provisioning</c> unless registered before.
    /// </summary>
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        services.AddValidatedOptions<ProvisioningOptions>(ProvisioningOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProvisioningOptions>, ProvisioningOptionsValidator>());
        services.AddSingleton<FederationPlanner>();
        services.AddSingleton(new PlannedActionKinds(nameof(FederationPlanner), ActionKinds.All));
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
