namespace FederationPortal.Core.Monitoring;

/// <summary>The dashboard's alerts, computed from the activity logs, the inventory, certificates and licences.</summary>
public interface IAlertService
{
    Task<IReadOnlyList<PortalAlert>> GetAlertsAsync(CancellationToken cancellationToken = default);
}

public enum AlertKind
{
    FailedSignInSpike,
    UnusedRole,
    SigningCertificateExpiring,
    GroupAssignmentsWithoutPremiumLicence,
}

public enum AlertSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>One alert: what happened, where, and a link to the page that fixes it.</summary>
public sealed record PortalAlert(
    AlertKind Kind,
    AlertSeverity Severity,
    string Title,
    string Detail,
    Guid? EnvironmentId,
    string? EnvironmentName,
    string? Link);
