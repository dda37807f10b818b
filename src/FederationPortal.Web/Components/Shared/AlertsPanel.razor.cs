using FederationPortal.Core.Monitoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;

namespace FederationPortal.Web.Components.Shared;

/// <summary>
/// The dashboard's alerts (failed sign-in spikes, unused roles, expiring signing certificates, group assignments without
/// an Entra ID P1/P2 licence), each with its severity and a link to the page that deals with it. A failure of the alert
/// service shows as a warning in the panel; the dashboard around it keeps working. The alerts include the expiring
/// signing certificates, so the dashboard shows <see cref="CertificateExpiryWarnings"/> only in a host without an alert service.
/// </summary>
public partial class AlertsPanel
{
    private IReadOnlyList<PortalAlert>? alerts;
    private string? error;
    private bool available = true;

    /// <summary>Resolved optionally: the dashboard must render even in a host that offers no alert service.</summary>
    [Inject]
    private IServiceProvider ServiceProvider { get; set; } = default!;

    [Inject]
    private ILogger<AlertsPanel> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (ServiceProvider.GetService(typeof(IAlertService)) is not IAlertService service)
        {
            available = false;
            return;
        }

        try
        {
            alerts = await service.GetAlertsAsync();
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Computing the dashboard alerts failed");
            error = ex.Message;
        }
    }

    /// <summary>The alert's own link, else the page that deals with its kind; a spike of failures opens the activity filtered to failures.</summary>
    internal static string? LinkOf(PortalAlert alert)
    {
        var link = string.IsNullOrWhiteSpace(alert.Link) ? DefaultLink(alert) : alert.Link;
        return alert.Kind == AlertKind.FailedSignInSpike && link is not null && IsUnfilteredActivity(link)
            ? QueryHelpers.AddQueryString(link, "outcome", nameof(ActivityOutcomeFilter.Failed))
            : link;
    }

    private static string? DefaultLink(PortalAlert alert)
    {
        var id = alert.EnvironmentId;
        return alert.Kind switch
        {
            AlertKind.FailedSignInSpike => id is null ? "/activity" : $"/environments/{id}/activity",
            AlertKind.UnusedRole => id is null ? "/role-assignments" : $"/role-assignments?environmentId={id}",
            AlertKind.SigningCertificateExpiring => id is null ? "/environments" : $"/environments/{id}/certificates",
            AlertKind.GroupAssignmentsWithoutPremiumLicence => id is null ? "/environments" : $"/environments/{id}/setup",
            _ => null,
        };
    }

    private static bool IsUnfilteredActivity(string link)
    {
        var parts = link.Split('?', 2);
        return parts[0].EndsWith("/activity", StringComparison.Ordinal)
               && (parts.Length == 1 || !QueryHelpers.ParseQuery(parts[1]).ContainsKey("outcome"));
    }

    private static string LinkText(AlertKind kind) => kind switch
    {
        AlertKind.FailedSignInSpike => "See the failed sign-ins",
        AlertKind.UnusedRole => "Review who can assume it",
        AlertKind.SigningCertificateExpiring => "Rotate the certificate",
        AlertKind.GroupAssignmentsWithoutPremiumLicence => "Assign users instead",
        _ => "Open",
    };

    private static string SeverityIcon(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Error => Icons.Material.Filled.Error,
        AlertSeverity.Warning => Icons.Material.Filled.Warning,
        _ => Icons.Material.Filled.Info,
    };

    private static Color SeverityColor(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Error => Color.Error,
        AlertSeverity.Warning => Color.Warning,
        _ => Color.Info,
    };
}
