using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Monitoring;
using FederationPortal.Core.Tests.Doctor;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FederationPortal.Core.Tests.Configuration;

/// <summary>The engine's options: bound from configuration, checked when the host starts.</summary>
public sealed class EngineOptionsTests
{
    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPortalCore();
        // The ports the handler check looks through; nothing here calls them.
        builder.Services.AddSingleton(Answering<IEntraDirectoryService>.Create(_ => null));
        builder.Services.AddSingleton(Answering<IAwsIam>.Create(_ => null));
        return builder.Build();
    }

    [Fact]
    public void Lifecycle_and_provisioning_options_come_from_their_sections()
    {
        using var host = Host(new()
        {
            ["Portal:Lifecycle:MaxParallelActions"] = "3",
            ["Portal:Provisioning:RunTimeout"] = "00:01:00",
            ["Portal:Monitoring:UnusedRoleDays"] = "45",
        });

        Assert.Equal(3, host.Services.GetRequiredService<LifecycleOptions>().MaxParallelActions);
        Assert.Equal(TimeSpan.FromMinutes(1), host.Services.GetRequiredService<ProvisioningOptions>().RunTimeout);
        Assert.Equal(45, host.Services.GetRequiredService<MonitoringOptions>().UnusedRoleDays);
    }

    [Theory]
    [InlineData("Portal:Lifecycle:MaxParallelActions", "0")]
    [InlineData("Portal:Provisioning:PollInterval", "-00:00:01")]
    [InlineData("Portal:Monitoring:ClockSkew", "-00:00:05")]
    [InlineData("Portal:Monitoring:FailedSignInSpikeFactor", "0.5")]
    [InlineData("Portal:Doctor:CertificateExpiryWarningDays", "-1")]
    public async Task A_value_out_of_range_stops_the_host_at_start_naming_its_key(string key, string value)
    {
        using var host = Host(new() { [key] = value });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(refused.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_that_does_not_convert_stops_the_host_at_start_naming_its_key()
    {
        using var host = Host(new() { ["Portal:Lifecycle:MaxParallelActions"] = "many" });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Portal:Lifecycle:MaxParallelActions", refused.Message, StringComparison.Ordinal);
    }
}
