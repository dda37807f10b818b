using System.Globalization;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Rotation;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Monitoring;

internal sealed record CachedAlerts(DateTimeOffset Until, IReadOnlyList<PortalAlert> Alerts);

internal sealed record CachedRoles(DateTimeOffset Until, IReadOnlySet<string> RoleArns);

/// <summary>
/// The dashboard's alerts, each with a link to the page that fixes it: a spike of failed sign-ins in an environment
/// (at least <see cref="MonitoringOptions.FailedSignInSpikeThreshold"/> in the last hour and more than
/// <see cref="MonitoringOptions.FailedSignInSpikeFactor"/> times the hourly average of the 24 hours before); roles with
/// no successful sign-in for <see cref="MonitoringOptions.UnusedRoleDays"/> days; signing certificates expiring within
/// <see cref="MonitoringOptions.CertificateExpiryDays"/> days (<see cref="CertificateRotationService.ListExpiringAsync"/>);
/// group assignments in a tenant without an Entra ID P1/P2 licence, where they grant nothing. A rule whose source cannot
/// be read is skipped (and logged): an alert is never raised on missing data. Results are cached per process.
/// </summary>
public sealed class AlertService(
    IEnvironmentStore environments,
    IResourceInventory inventory,
    IActivityService activity,
    IAwsCloudTrail cloudTrail,
    IEntraActivityLogs entraLogs,
    IEntraDirectoryService entra,
    CertificateRotationService rotation,
    AlertCache cache,
    MonitoringOptions options,
    TimeProvider clock,
    ILogger<AlertService> logger) : IAlertService
{
    /// <summary>Service plans that carry Entra ID P1 (P2 includes P1).</summary>
    public static readonly IReadOnlyList<string> PremiumServicePlans = ["AAD_PREMIUM", "AAD_PREMIUM_P2"];

    /// <summary>How long the unused-role answer is reused.</summary>
    public static readonly TimeSpan UnusedRoleCacheDuration = TimeSpan.FromHours(1);

    public async Task<IReadOnlyList<PortalAlert>> GetAlertsAsync(CancellationToken cancellationToken = default)
    {
        if (cache.Alerts is { } fresh && clock.GetUtcNow() < fresh.Until)
        {
            return fresh.Alerts;
        }

        await cache.Gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (cache.Alerts is { } computed && now < computed.Until)
            {
                return computed.Alerts;
            }

            var scope = (await environments.ListAsync(cancellationToken)).Where(e => e.Status != EnvironmentStatus.Deleted).ToList();
            var alerts = new List<PortalAlert>();
            alerts.AddRange(await FailedSignInSpikesAsync(now, cancellationToken));
            alerts.AddRange(await UnusedRolesAsync(scope, now, cancellationToken));
            alerts.AddRange(await ExpiringCertificatesAsync(now, cancellationToken));
            alerts.AddRange(await GroupAssignmentsWithoutPremiumAsync(scope, cancellationToken));
            var ordered = alerts.OrderByDescending(a => a.Severity).ThenBy(a => a.EnvironmentName, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Title, StringComparer.Ordinal).ToList();
            cache.Alerts = new(now + options.AlertCacheDuration, ordered);
            return ordered;
        }
        finally
        {
            cache.Gate.Release();
        }
    }

    private async Task<IReadOnlyList<PortalAlert>> FailedSignInSpikesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var timeline = await activity.GetTimelineAsync(new ActivityQuery(null, now.AddHours(-25), now, Outcome: ActivityOutcomeFilter.Failed, MaxEntries: int.MaxValue), cancellationToken);
        foreach (var error in timeline.SourceErrors)
        {
            logger.LogWarning("Failed sign-in alert computed without a source: {SourceError}", error);
        }

        var alerts = new List<PortalAlert>();
        foreach (var environment in timeline.Entries.Where(e => e.EnvironmentId is not null).GroupBy(e => (e.EnvironmentId, e.EnvironmentName)))
        {
            var lastHour = environment.Count(e => e.Time > now.AddHours(-1));
            var hourlyAverage = environment.Count(e => e.Time <= now.AddHours(-1)) / 24.0;
            if (lastHour >= options.FailedSignInSpikeThreshold && lastHour > options.FailedSignInSpikeFactor * hourlyAverage)
            {
                var codes = environment.Where(e => e.Time > now.AddHours(-1) && e.FailureCode is not null)
                    .GroupBy(e => e.FailureCode!).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Key} ×{g.Count()}");
                alerts.Add(new PortalAlert(AlertKind.FailedSignInSpike, AlertSeverity.Error,
                    $"{lastHour} failed sign-ins in the last hour",
                    $"Against an average of {hourlyAverage.ToString("0.#", CultureInfo.InvariantCulture)} an hour over the day before ({string.Join(", ", codes)}). Open the activity to see who and why.",
                    environment.Key.EnvironmentId, environment.Key.EnvironmentName, $"/environments/{environment.Key.EnvironmentId}/activity"));
            }
        }

        return alerts;
    }

    /// <summary>
    /// Roles older than the threshold with no successful <c>AssumeRoleWithSAML</c> since. CloudTrail is read newest first
    /// and only until every role has been seen, so active accounts cost a page or two.
    /// </summary>
    private async Task<IReadOnlyList<PortalAlert>> UnusedRolesAsync(IReadOnlyList<FederationEnvironment> scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddDays(-options.UnusedRoleDays);
        var candidates = new List<(FederationEnvironment Environment, string RoleName, string RoleArn)>();
        foreach (var environment in scope)
        {
            candidates.AddRange((await inventory.ListAsync(environment.Id, cancellationToken))
                .Where(r => r.Type == ResourceTypes.Role && r.CloudId.Length > 0 && r.CreatedAt <= since)
                .Select(r => (environment, r.Key, r.CloudId)));
        }

        // The inventory is read every time (a deleted role drops out at once); CloudTrail only when the answer is stale.
        if (cache.UnusedRoles is not { } kept || now >= kept.Until)
        {
            kept = candidates.Count == 0 ? new(now + UnusedRoleCacheDuration, new HashSet<string>()) : await ReadUnusedRolesAsync(candidates.Select(c => c.RoleArn), since, now, cancellationToken);
            if (kept is null)
            {
                return [];
            }

            cache.UnusedRoles = kept;
        }

        return candidates.Where(c => kept.RoleArns.Contains(c.RoleArn))
            .Select(c => new PortalAlert(AlertKind.UnusedRole, AlertSeverity.Info,
                $"Role {c.RoleName} unused for {options.UnusedRoleDays} days",
                $"Nobody signed in to AWS as {c.RoleName} ({c.RoleArn}) in the last {options.UnusedRoleDays} days. Review who holds it; it may be a candidate for removal.",
                c.Environment.Id, c.Environment.Name, $"/role-assignments?environmentId={c.Environment.Id}"))
            .ToList();
    }

    /// <summary>The roles with no successful sign-in since <paramref name="since"/>; null when CloudTrail cannot tell.</summary>
    private async Task<CachedRoles?> ReadUnusedRolesAsync(IEnumerable<string> roleArns, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unseen = new HashSet<string>(roleArns, StringComparer.OrdinalIgnoreCase);
        var read = 0;
        string? next = null;
        try
        {
            do
            {
                var page = await cloudTrail.LookupEventsAsync(new CloudTrailLookupQuery(since, now, "EventName", CloudTrailSamlEvents.EventName, NextToken: next), cancellationToken);
                read += page.Events.Count;
                foreach (var signIn in page.Events.Select(CloudTrailSamlEvents.Parse).OfType<AwsSamlSignInEvent>().Where(e => e.Succeeded && e.RoleArn is not null))
                {
                    unseen.Remove(signIn.RoleArn!);
                }

                next = page.NextToken;
            }
            while (unseen.Count > 0 && next is not null && read < options.MaxSourceEvents);
        }
        catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Unused-role alerts skipped: CloudTrail could not be read ({Error})", ex is AwsServiceException aws ? aws.Code : ex.GetType().Name);
            return null;
        }

        if (next is not null && unseen.Count > 0)
        {
            // The history was not read to its end: the roles not seen yet may have been used earlier in the period.
            logger.LogInformation("Unused-role alerts skipped: more than {MaxEvents} sign-ins in {Days} days", options.MaxSourceEvents, options.UnusedRoleDays);
            return null;
        }

        return new CachedRoles(now + UnusedRoleCacheDuration, unseen);
    }

    private async Task<IReadOnlyList<PortalAlert>> ExpiringCertificatesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var warnings = await rotation.ListExpiringAsync(options.CertificateExpiryDays, cancellationToken);
        return warnings.Select(w =>
        {
            var (severity, title, detail) = w switch
            {
                { Problem: { } problem } => (AlertSeverity.Warning, "Signing certificate could not be checked", problem),
                { IsExpired: true } => (AlertSeverity.Error, "Signing certificate has expired",
                    $"The token-signing certificate {w.Thumbprint} expired on {w.NotAfter:yyyy-MM-dd}: AWS refuses every sign-in. Rotate it now."),
                _ => (AlertSeverity.Warning, $"Signing certificate expires in {DaysLeft(w.NotAfter!.Value, now)} days",
                    $"The token-signing certificate {w.Thumbprint} expires on {w.NotAfter:yyyy-MM-dd}. Rotate it before then: sign-ins fail once it expires."),
            };
            return new PortalAlert(AlertKind.SigningCertificateExpiring, severity, title, detail,
                w.EnvironmentId, w.EnvironmentName, $"/environments/{w.EnvironmentId}/certificates");
        }).ToList();
    }

    /// <summary>Group assignments grant access only with Entra ID P1 or P2: without it, members of an assigned group get AADSTS50105.</summary>
    private async Task<IReadOnlyList<PortalAlert>> GroupAssignmentsWithoutPremiumAsync(IReadOnlyList<FederationEnvironment> scope, CancellationToken cancellationToken)
    {
        try
        {
            if (HasPremium(await entraLogs.ListSubscribedSkusAsync(cancellationToken)))
            {
                return [];
            }

            var alerts = new List<PortalAlert>();
            foreach (var environment in scope)
            {
                if (AppAttributes.Of(await inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken)) is not { } app)
                {
                    continue;
                }

                var groups = (await entra.ListAppRoleAssignmentsAsync(app.ServicePrincipalId, cancellationToken))
                    .Where(a => string.Equals(a.PrincipalType, "Group", StringComparison.OrdinalIgnoreCase))
                    .Select(a => a.PrincipalDisplayName ?? a.PrincipalId)
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .ToList();
                if (groups.Count > 0)
                {
                    alerts.Add(new PortalAlert(AlertKind.GroupAssignmentsWithoutPremiumLicence, AlertSeverity.Warning,
                        "Group assignments need Entra ID P1",
                        $"{groups.Count} group(s) are assigned to the AWS app ({string.Join(", ", groups.Take(5))}), but the tenant has no Entra ID P1 or P2 licence (no AAD_PREMIUM service plan), so their members cannot sign in (AADSTS50105). Assign the users directly, or license the tenant.",
                        environment.Id, environment.Name, $"/environments/{environment.Id}/setup"));
                }
            }

            return alerts;
        }
        catch (Exception ex) when (ex is EntraServiceException or InvalidOperationException)
        {
            logger.LogWarning("Licence alert skipped: Entra could not be read ({Error})", ex is EntraServiceException entraError ? $"{entraError.StatusCode} {entraError.Code}" : ex.GetType().Name);
            return [];
        }
    }

    /// <summary>True when an active (or in grace period) licence carries an enabled Entra ID P1 or P2 service plan.</summary>
    public static bool HasPremium(IEnumerable<EntraSubscribedSku> skus)
        => skus.Any(s => s.CapabilityStatus is "Enabled" or "Warning"
                         && s.ServicePlanNames.Any(p => PremiumServicePlans.Contains(p, StringComparer.OrdinalIgnoreCase)));

    private static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => Math.Max(0, (int)Math.Ceiling((notAfter - now).TotalDays));
}
