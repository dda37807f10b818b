using Bunit;
using FederationPortal.Core.Monitoring;
using FederationPortal.Web.Components.Pages.Dashboard;
using FederationPortal.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Components;

public sealed class AlertsPanelTests : PortalComponentTest
{
    private static readonly Guid EnvironmentId = Guid.Parse("0195f3a0-0000-7000-8000-0000000000b2");
    private readonly FakeAlertService alerts = new();

    public AlertsPanelTests()
    {
        SignInAsReader();
        Services.AddSingleton<IAlertService>(alerts);
    }

    private static PortalAlert Alert(AlertKind kind, AlertSeverity severity = AlertSeverity.Warning, string? link = null, Guid? environmentId = null)
        => new(kind, severity, $"{kind} title", $"{kind} detail", environmentId ?? EnvironmentId, "Contoso prod", link);

    [Theory]
    [InlineData(AlertKind.FailedSignInSpike, "/environments/0195f3a0-0000-7000-8000-0000000000b2/activity?outcome=Failed", "See the failed sign-ins")]
    [InlineData(AlertKind.UnusedRole, "/role-assignments?environmentId=0195f3a0-0000-7000-8000-0000000000b2", "Review who can assume it")]
    [InlineData(AlertKind.SigningCertificateExpiring, "/environments/0195f3a0-0000-7000-8000-0000000000b2/certificates", "Rotate the certificate")]
    [InlineData(AlertKind.GroupAssignmentsWithoutPremiumLicence, "/environments/0195f3a0-0000-7000-8000-0000000000b2/setup", "Assign users instead")]
    public void Each_kind_of_alert_links_to_the_page_that_deals_with_it(AlertKind kind, string href, string linkText)
    {
        alerts.Alerts = [Alert(kind)];

        var panel = Render<AlertsPanel>();

        var alert = panel.WaitForElement("[data-testid=alert]");
        Assert.Equal(kind.ToString(), alert.GetAttribute("data-kind"));
        Assert.Equal($"{kind} title", alert.QuerySelector("[data-testid=alert-title]")!.TextContent);
        Assert.Contains($"{kind} detail", alert.QuerySelector("[data-testid=alert-detail]")!.TextContent);
        Assert.Contains("Contoso prod", alert.TextContent);
        var link = alert.QuerySelector("[data-testid=alert-link]")!;
        Assert.Equal(href, link.GetAttribute("href"));
        Assert.Equal(linkText, link.TextContent.Trim());
    }

    [Fact]
    public void The_alert_services_own_link_wins_and_a_spike_always_opens_the_failures()
    {
        alerts.Alerts =
        [
            Alert(AlertKind.FailedSignInSpike, link: $"/environments/{EnvironmentId}/activity"),
            Alert(AlertKind.FailedSignInSpike, link: "/activity?range=24h&outcome=Failed"),
            Alert(AlertKind.SigningCertificateExpiring, link: "/environments/x/certificates?step=1"),
            new PortalAlert(AlertKind.UnusedRole, AlertSeverity.Info, "Unused", "No sign-in in 90 days", null, null, null),
        ];

        var panel = Render<AlertsPanel>();

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("[data-testid=alert]").Count));
        var links = panel.FindAll("[data-testid=alert-link]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(
            [$"/environments/{EnvironmentId}/activity?outcome=Failed", "/activity?range=24h&outcome=Failed", "/environments/x/certificates?step=1", "/role-assignments"],
            links);
    }

    [Fact]
    public void Severity_shows_as_an_icon_colour_and_the_count_turns_red_with_an_error()
    {
        alerts.Alerts = [Alert(AlertKind.SigningCertificateExpiring, AlertSeverity.Error), Alert(AlertKind.UnusedRole, AlertSeverity.Info)];

        var panel = Render<AlertsPanel>();

        panel.WaitForAssertion(() => Assert.Equal("2", panel.Find("[data-testid=alerts-count]").TextContent.Trim()));
        Assert.Contains("mud-chip-color-error", panel.Find("[data-testid=alerts-count]").ClassName);
        var items = panel.FindAll("[data-testid=alert]");
        Assert.Equal("Error", items[0].GetAttribute("data-severity"));
        Assert.NotNull(items[0].QuerySelector(".mud-error-text"));
        Assert.NotNull(items[1].QuerySelector(".mud-info-text"));
    }

    [Fact]
    public void No_alerts_says_so()
    {
        var panel = Render<AlertsPanel>();

        Assert.Contains("No alerts", panel.WaitForElement("[data-testid=alerts-empty]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=alert]"));
    }

    [Fact]
    public void A_failing_alert_service_shows_a_warning_and_the_dashboard_still_renders()
    {
        alerts.Failure = new HttpRequestException("CloudTrail did not answer.");

        var dashboard = Render<Dashboard>();

        Assert.Contains("CloudTrail did not answer.", dashboard.WaitForElement("[data-testid=alerts-error]").TextContent);
        dashboard.WaitForElement("[data-testid=dashboard-empty]");
    }

    [Fact]
    public void The_dashboard_shows_the_alerts()
    {
        alerts.Alerts = [Alert(AlertKind.FailedSignInSpike, AlertSeverity.Error)];

        var dashboard = Render<Dashboard>();

        dashboard.WaitForAssertion(() => Assert.Equal("FailedSignInSpike", dashboard.Find("[data-testid=alerts-panel] [data-testid=alert]").GetAttribute("data-kind")));
    }
}

/// <summary>A host without an alert service (e.g. a test host without the monitoring services) still renders its dashboard.</summary>
public sealed class AlertsPanelWithoutServiceTests : PortalComponentTest
{
    [Fact]
    public void Without_an_alert_service_the_panel_falls_back_to_the_certificate_warnings()
    {
        SignInAsReader();

        var panel = Render<AlertsPanel>();

        Assert.Empty(panel.FindAll("[data-testid=alerts-panel]"));
        Assert.Single(panel.FindComponents<CertificateExpiryWarnings>());
    }
}
