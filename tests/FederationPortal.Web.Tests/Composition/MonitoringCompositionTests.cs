using FederationPortal.Core.Monitoring;
using FederationPortal.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Web.Tests.Composition;

/// <summary>The monitoring services as the portal composes them, and their options.</summary>
public sealed class MonitoringCompositionTests
{
    [Fact]
    public async Task The_portal_serves_the_monitoring_ports_and_points_CloudTrail_at_its_sandbox()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Portal:Monitoring:UnusedRoleDays"] = "45" });
        _ = host.BaseAddress;

        Assert.NotNull(host.Services.GetRequiredService<IAwsCloudTrail>());
        Assert.NotNull(host.Services.GetRequiredService<IEntraActivityLogs>());
        await using var scope = host.Services.CreateAsyncScope();
        Assert.IsType<ActivityService>(scope.ServiceProvider.GetRequiredService<IActivityService>());
        Assert.IsType<AlertService>(scope.ServiceProvider.GetRequiredService<IAlertService>());
        Assert.Equal(45, host.Services.GetRequiredService<MonitoringOptions>().UnusedRoleDays);

        var endpoints = host.Services.GetRequiredService<ICloudEndpointsProvider>().GetEndpoints();
        Assert.Equal($"{host.BaseAddress.TrimEnd('/')}/sandbox/aws/cloudtrail", endpoints.CloudTrailEndpoint!.ToString().TrimEnd('/'));
    }

    [Fact]
    public void Options_come_from_Portal_Monitoring_and_a_bad_value_names_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:Monitoring:UnusedRoleDays"] = "45",
            ["Portal:Monitoring:CorrelationWindow"] = "00:02:00",
            ["Portal:Monitoring:FailedSignInSpikeFactor"] = "2.5",
        }).Build();

        var options = Resolve(configuration);

        Assert.Equal(45, options.UnusedRoleDays);
        Assert.Equal(TimeSpan.FromMinutes(2), options.CorrelationWindow);
        Assert.Equal(2.5, options.FailedSignInSpikeFactor);
        Assert.Equal(30, options.CertificateExpiryDays);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:Monitoring:CertificateExpiryDays"] = "soon" }).Build();
        Assert.Contains("Portal:Monitoring:CertificateExpiryDays", Assert.Throws<InvalidOperationException>(() => Resolve(bad)).Message);
    }

    private static MonitoringOptions Resolve(IConfiguration configuration)
        => new ServiceCollection().AddSingleton(configuration).AddMonitoring().BuildServiceProvider().GetRequiredService<MonitoringOptions>();
}
