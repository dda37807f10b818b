using Bunit;
using FederationPortal.Core.Rotation;
using FederationPortal.TestSupport;
using FederationPortal.Web.Components.Shared;
using FederationPortal.Web.Tests.Components;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Operate;

/// <summary>The dashboard's expiry warning, rendered with bUnit over the rotation service of a running portal (sandbox clouds).</summary>
public sealed class CertificateExpiryWarningsTests : PortalComponentTest, IAsyncLifetime
{
    private readonly PortalHost host = new();
    private AsyncServiceScope scope;

    public ValueTask InitializeAsync()
    {
        _ = host.BaseAddress;
        scope = host.Services.CreateAsyncScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<CertificateRotationService>());
        return ValueTask.CompletedTask;
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await scope.DisposeAsync();
        await host.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Lists_an_environment_whose_certificate_expires_within_the_window_with_a_link_to_rotate_it_and_nothing_otherwise()
    {
        var driver = new SetupDriver(host);
        var environment = await driver.CreateEnvironmentAsync("Contoso expiring");
        await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: false));
        await driver.ApplyAndWaitAsync(environment.Id);

        var quiet = Render<CertificateExpiryWarnings>(p => p.Add(c => c.WithinDays, 30));
        quiet.WaitForAssertion(() => Assert.Empty(quiet.FindAll("[data-testid=certificate-expiry-warnings]")), TimeSpan.FromSeconds(10));

        // The certificate is valid for 36 months: a four-year window catches it.
        var warned = Render<CertificateExpiryWarnings>(p => p.Add(c => c.WithinDays, 4 * 365));
        warned.WaitForAssertion(() =>
        {
            var warning = warned.Find("[data-testid=certificate-expiry-warning]");
            Assert.Contains("Contoso expiring", warning.TextContent);
            Assert.Equal($"/environments/{environment.Id}/certificates", warned.Find("[data-testid=certificate-expiry-rotate]").GetAttribute("href"));
        }, TimeSpan.FromSeconds(10));
    }
}
