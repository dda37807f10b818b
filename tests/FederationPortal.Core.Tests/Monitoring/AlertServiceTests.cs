using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Monitoring;
using FederationPortal.Core.Rotation;
using FederationPortal.Core.Tests.Doctor;
using FederationPortal.Core.Tests.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Core.Tests.Monitoring;

/// <summary>The dashboard's alert rules against a controlled clock and clouds that answer the state under test.</summary>
public sealed class AlertServiceTests
{
    private static readonly DateTimeOffset Now = MonitoringWorld.Now;
    private readonly MonitoringWorld world = new();
    private readonly FakeTimeProvider clock = new(Now);
    private readonly AlertCache cache = new();
    private EntraServicePrincipalInfo? servicePrincipal;
    private IReadOnlyList<EntraAppRoleAssignment> assignments = [];

    private AlertService Alerts(MonitoringOptions? options = null)
    {
        var entra = Answering<IEntraDirectoryService>.Create(name => name switch
        {
            nameof(IEntraDirectoryService.GetServicePrincipalAsync) => servicePrincipal,
            nameof(IEntraDirectoryService.ListAppRoleAssignmentsAsync) => assignments,
            _ => null,
        });
        var rotation = new CertificateRotationService(world.Store, world.Inventory, entra, Answering<IAwsIam>.Create(_ => null), new ListAuditTrail(), clock);
        options ??= new MonitoringOptions();
        return new AlertService(world.Store, world.Inventory, world.Activity(options), world.CloudTrail, world.Entra, entra, rotation, cache, options, clock,
            NullLogger<AlertService>.Instance);
    }

    private async Task<IReadOnlyList<PortalAlert>> AlertsAsync(AlertKind kind, MonitoringOptions? options = null)
    {
        await world.SeedAsync();
        return (await Alerts(options).GetAlertsAsync(TestContext.Current.CancellationToken)).Where(a => a.Kind == kind).ToList();
    }

    private void UseEveryRoleRecently()
    {
        foreach (var (environment, role) in new[] { (world.Production, "Prod-Admin"), (world.Production, "Prod-ReadOnly"), (world.Staging, "Stage-Admin") })
        {
            world.AssumeRole(environment, "someone@contoso.com", role, Now.AddDays(-2));
        }
    }

    [Fact]
    public async Task A_spike_of_failed_sign_ins_raises_an_alert_linking_to_the_environments_activity()
    {
        for (var i = 0; i < 6; i++)
        {
            world.SignIn(world.Production, $"user{i}@contoso.com", Now.AddMinutes(-5 * i - 1), 50126, "Invalid username or password.");
        }

        world.SignIn(world.Production, "old@contoso.com", Now.AddHours(-10), 50126);
        world.SignIn(world.Staging, "quiet@contoso.com", Now.AddMinutes(-3), 50126);

        var alert = Assert.Single(await AlertsAsync(AlertKind.FailedSignInSpike));

        Assert.Equal(world.Production.Id, alert.EnvironmentId);
        Assert.Equal(AlertSeverity.Error, alert.Severity);
        Assert.Contains("6 failed sign-ins", alert.Title);
        Assert.Contains("AADSTS50126 ×6", alert.Detail);
        Assert.Equal($"/environments/{world.Production.Id}/activity", alert.Link);
    }

    [Fact]
    public async Task Failures_at_AWS_count_towards_a_spike()
    {
        for (var i = 0; i < 5; i++)
        {
            world.SignIn(world.Staging, $"user{i}@contoso.com", Now.AddMinutes(-10 - i));
            world.AssumeRole(world.Staging, $"user{i}@contoso.com", "Stage-Admin", Now.AddMinutes(-10 - i).AddSeconds(2), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");
        }

        Assert.Equal(world.Staging.Id, Assert.Single(await AlertsAsync(AlertKind.FailedSignInSpike)).EnvironmentId);
    }

    [Theory]
    [InlineData(4, 0)] // below the threshold
    [InlineData(6, 48)] // 6 is not more than 3 × the usual 2 an hour
    public async Task No_spike_when_failures_are_few_or_usual(int lastHour, int dayBefore)
    {
        for (var i = 0; i < lastHour; i++)
        {
            world.SignIn(world.Production, $"user{i}@contoso.com", Now.AddMinutes(-i - 1), 50126);
        }

        for (var i = 0; i < dayBefore; i++)
        {
            world.SignIn(world.Production, $"old{i}@contoso.com", Now.AddHours(-1).AddMinutes(-25 * i - 1), 50126);
        }

        Assert.Empty(await AlertsAsync(AlertKind.FailedSignInSpike));
    }

    [Fact]
    public async Task Roles_without_a_successful_sign_in_for_the_threshold_are_flagged_for_review()
    {
        world.AssumeRole(world.Production, "alice@contoso.com", "Prod-Admin", Now.AddDays(-3));
        world.AssumeRole(world.Production, "alice@contoso.com", "Prod-ReadOnly", Now.AddDays(-40));
        world.AssumeRole(world.Staging, "bob@contoso.com", "Stage-Admin", Now.AddDays(-1), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");

        var alerts = await AlertsAsync(AlertKind.UnusedRole);

        Assert.Equal(["Role Prod-ReadOnly unused for 30 days", "Role Stage-Admin unused for 30 days"], alerts.Select(a => a.Title).Order(StringComparer.Ordinal));
        var readOnly = alerts.Single(a => a.Title.Contains("Prod-ReadOnly", StringComparison.Ordinal));
        Assert.Equal($"/role-assignments?environmentId={world.Production.Id}", readOnly.Link);
        Assert.Contains(MonitoringWorld.RoleArn("Prod-ReadOnly"), readOnly.Detail);
    }

    [Fact]
    public async Task The_unused_role_answer_is_kept_for_an_hour_but_a_removed_role_drops_out_at_once()
    {
        world.AssumeRole(world.Production, "alice@contoso.com", "Prod-Admin", Now.AddDays(-3));
        world.AssumeRole(world.Staging, "bob@contoso.com", "Stage-Admin", Now.AddDays(-3));
        Assert.Equal("Role Prod-ReadOnly unused for 30 days", Assert.Single(await AlertsAsync(AlertKind.UnusedRole)).Title);
        var pages = world.CloudTrail.PagesServed;

        // Used now, and a minute later the dashboard asks again: the hour-old answer stands, without reading CloudTrail's month again.
        world.AssumeRole(world.Production, "alice@contoso.com", "Prod-ReadOnly", Now);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(await Alerts().GetAlertsAsync(TestContext.Current.CancellationToken), a => a.Kind == AlertKind.UnusedRole);
        Assert.Equal(pages + 1, world.CloudTrail.PagesServed); // the spike rule's one page

        await world.Inventory.RemoveAsync(world.Production.Id, Core.Federation.ResourceTypes.Role, "Prod-ReadOnly", TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.DoesNotContain(await Alerts().GetAlertsAsync(TestContext.Current.CancellationToken), a => a.Kind == AlertKind.UnusedRole);
    }

    [Fact]
    public async Task Roles_younger_than_the_threshold_are_not_flagged()
    {
        await world.SeedAsync(rolesCreatedAt: Now.AddDays(-10));

        Assert.DoesNotContain(await Alerts().GetAlertsAsync(TestContext.Current.CancellationToken), a => a.Kind == AlertKind.UnusedRole);
    }

    [Fact]
    public async Task The_unused_role_lookup_stops_once_every_role_is_seen()
    {
        world.CloudTrail.PageSize = 2;
        UseEveryRoleRecently();
        for (var i = 0; i < 40; i++)
        {
            world.AssumeRole(world.Production, "alice@contoso.com", "Prod-Admin", Now.AddDays(-5).AddMinutes(-i));
        }

        Assert.Empty(await AlertsAsync(AlertKind.UnusedRole));

        // The spike rule reads one day (nothing), the unused-role rule two pages; not the 21 pages of the month.
        Assert.True(world.CloudTrail.PagesServed <= 3, $"{world.CloudTrail.PagesServed} pages read");
    }

    [Fact]
    public async Task When_CloudTrail_cannot_be_read_no_role_is_called_unused()
    {
        world.CloudTrail.Failure = new AwsServiceException("AccessDeniedException", "no", System.Net.HttpStatusCode.BadRequest);

        Assert.Empty(await AlertsAsync(AlertKind.UnusedRole));
    }

    [Theory]
    [InlineData(10, AlertSeverity.Warning, "expires in 10 days")]
    [InlineData(-2, AlertSeverity.Error, "has expired")]
    public async Task Signing_certificates_expiring_soon_link_to_the_certificates_page(int daysLeft, AlertSeverity severity, string title)
    {
        servicePrincipal = ServicePrincipal(Now.AddDays(daysLeft));

        var alerts = await AlertsAsync(AlertKind.SigningCertificateExpiring);

        var production = Assert.Single(alerts, a => a.EnvironmentId == world.Production.Id);
        Assert.Equal(severity, production.Severity);
        Assert.Contains(title, production.Title);
        Assert.Equal($"/environments/{world.Production.Id}/certificates", production.Link);
    }

    [Fact]
    public async Task Certificates_far_from_expiry_raise_nothing()
    {
        servicePrincipal = ServicePrincipal(Now.AddDays(31));

        Assert.Empty(await AlertsAsync(AlertKind.SigningCertificateExpiring));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("AAD_PREMIUM", "Enabled", false)]
    [InlineData("AAD_PREMIUM_P2", "Warning", false)]
    [InlineData("AAD_PREMIUM", "Suspended", true)]
    [InlineData("EXCHANGE_S_STANDARD", "Enabled", true)]
    public async Task Group_assignments_without_an_Entra_ID_P1_licence_are_flagged(string? plan, string? status, bool expected)
    {
        if (plan is not null)
        {
            world.Entra.Skus.Add(new EntraSubscribedSku(Guid.NewGuid().ToString(), "SKU", status!, 10, 25, ["EXCHANGE_S_FOUNDATION", plan]));
        }

        assignments =
        [
            new EntraAppRoleAssignment("a1", Guid.NewGuid(), Guid.NewGuid().ToString(), "Cloud Admins", "Group", "sp", Now),
            new EntraAppRoleAssignment("a2", Guid.NewGuid(), Guid.NewGuid().ToString(), "Alice", "User", "sp", Now),
        ];

        var alerts = await AlertsAsync(AlertKind.GroupAssignmentsWithoutPremiumLicence);

        Assert.Equal(expected, alerts.Count > 0);
        if (expected)
        {
            var production = Assert.Single(alerts, a => a.EnvironmentId == world.Production.Id);
            Assert.Contains("Cloud Admins", production.Detail);
            Assert.DoesNotContain("Alice", production.Detail);
            Assert.Contains("P1", production.Title);
        }
    }

    [Fact]
    public async Task User_assignments_alone_need_no_licence()
    {
        assignments = [new EntraAppRoleAssignment("a2", Guid.NewGuid(), Guid.NewGuid().ToString(), "Alice", "User", "sp", Now)];

        Assert.Empty(await AlertsAsync(AlertKind.GroupAssignmentsWithoutPremiumLicence));
    }

    [Fact]
    public async Task Alerts_are_cached_for_a_minute()
    {
        await world.SeedAsync();
        UseEveryRoleRecently();
        var service = Alerts();
        var ct = TestContext.Current.CancellationToken;

        var first = await service.GetAlertsAsync(ct);
        var calls = world.Entra.Calls.Count;
        for (var i = 0; i < 6; i++)
        {
            world.SignIn(world.Production, $"user{i}@contoso.com", Now.AddSeconds(-i), 50126);
        }

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Same(first, await Alerts().GetAlertsAsync(ct));
        Assert.Equal(calls, world.Entra.Calls.Count);

        clock.Advance(TimeSpan.FromSeconds(2));
        var second = await service.GetAlertsAsync(ct);
        Assert.Contains(second, a => a.Kind == AlertKind.FailedSignInSpike);
        Assert.True(world.Entra.Calls.Count > calls);
    }

    private static EntraServicePrincipalInfo ServicePrincipal(DateTimeOffset notAfter)
    {
        var thumbprint = Convert.ToHexString(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray());
        return new EntraServicePrincipalInfo("sp", "app", "AWS", "saml", thumbprint, [],
            [new EntraKeyCredential(Guid.NewGuid(), "CN=x", "AsymmetricX509Cert", "Verify", Now.AddYears(-1), notAfter, Convert.ToBase64String(Convert.FromHexString(thumbprint)))]);
    }
}
