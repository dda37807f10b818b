using FederationPortal.Core.Doctor;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Monitoring;
using FederationPortal.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The domain services. Persistence ports come from the Data project.</summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services, LifecycleOptions? lifecycle = null)
    {
        services.AddSingleton(lifecycle ?? new LifecycleOptions());
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<EnvironmentService>();
        services.AddSingleton<OperationNotifier>();
        services.AddSingleton<OperationQueue>();
        services.AddScoped<OperationRunner>();
        services.AddHostedService<OperationWorker>();
        services.AddScoped<SetupService>();
        services.AddScoped<SignInTestService>();
        services.AddScoped<PreflightService>();
        services.AddScoped<DriftService>();
        services.AddScoped<OrphanScanner>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<StoredSecretService>();
        services.AddScoped<Review.ReviewService>();
        services.AddScoped<Rotation.CertificateRotationService>();
        services.AddFederation();
        services.AddDoctor();
        services.AddMonitoring();
        return services;
    }
}
