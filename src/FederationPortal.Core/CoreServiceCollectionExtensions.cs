using FederationPortal.Core.Configuration;
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
    /// <summary>
    /// The domain services and the lifecycle engine, their options bound from <c>Portal:Lifecycle</c>,
    /// <c>Portal:Provisioning</c>, <c>Portal:Doctor</c> and <c>Portal:Monitoring</c> and checked at start.
    /// Persistence ports come from the Data project, cloud ports from the Clouds project.
    /// </summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services)
    {
        services.AddValidatedOptions<LifecycleOptions>(LifecycleOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<EnvironmentService>();
        services.AddSingleton<OperationNotifier>();
        services.AddSingleton<OperationQueue>();
        services.AddScoped<OperationRunner>();
        // The check starts first: no operation runs on an engine that lacks a handler for a kind it may plan.
        services.AddHostedService<ActionHandlerCheck>();
        services.AddHostedService<OperationWorker>();
        services.AddScoped<SetupService>();
        services.AddScoped<SetupWizardService>();
        services.AddScoped<SignInTestService>();
        services.AddScoped<PreflightService>();
        services.AddScoped<DriftService>();
        services.AddScoped<OrphanScanner>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<Preferences.PreferencesService>();
        services.AddScoped<StoredSecretService>();
        services.AddScoped<Review.ReviewService>();
        services.AddScoped<Rotation.CertificateRotationService>();
        services.AddFederation();
        services.AddDoctor();
        services.AddMonitoring();
        services.AddValidatedOptions<Audit.AuditOptions>(Audit.AuditOptions.SectionName);
        services.AddSingleton<Audit.AuditDigestService>();
        services.AddHostedService<Audit.AuditDigestWorker>();
        return services;
    }
}
