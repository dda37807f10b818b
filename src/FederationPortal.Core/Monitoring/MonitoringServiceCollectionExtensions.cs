using FederationPortal.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FederationPortal.Core.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>
    /// The activity timeline and the alerts. <see cref="MonitoringOptions"/> come from <c>Portal:Monitoring</c> unless
    /// registered before; the cloud ports (<see cref="IEntraActivityLogs"/>, <see cref="IAwsCloudTrail"/>) from the Clouds project.
    /// </summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddValidatedOptions<MonitoringOptions>(MonitoringOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>());
        services.TryAddSingleton<AlertCache>();
        services.AddScoped<ActivityService>();
        services.AddScoped<IActivityService>(sp => sp.GetRequiredService<ActivityService>());
        services.AddScoped<IAlertService, AlertService>();
        return services;
    }
}
