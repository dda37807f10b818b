namespace FederationPortal.Core.Monitoring;

/// <summary>
/// Entra's activity reports and licences as the portal reads them through Microsoft Graph:
/// <c>/auditLogs/signIns</c>, <c>/auditLogs/directoryAudits</c> and <c>/subscribedSkus</c>
/// (permissions <c>AuditLog.Read.All</c>, <c>Directory.Read.All</c>). The same implementation serves a real
/// tenant and the sandbox tenant. Failures surface as <see cref="FederationPortal.Core.Entra.EntraServiceException"/>.
/// </summary>
public interface IEntraActivityLogs
{
    /// <summary>Sign-ins since <paramref name="since"/>, newest first, optionally of one application (its appId), following paging up to <paramref name="maxItems"/>.</summary>
    Task<IReadOnlyList<EntraSignIn>> ListSignInsAsync(DateTimeOffset since, string? appId, int maxItems, CancellationToken cancellationToken = default);

    /// <summary>Directory audit events (app and policy changes) since <paramref name="since"/>, newest first, up to <paramref name="maxItems"/>.</summary>
    Task<IReadOnlyList<EntraDirectoryAudit>> ListDirectoryAuditsAsync(DateTimeOffset since, int maxItems, CancellationToken cancellationToken = default);

    /// <summary>The tenant's licences (<c>subscribedSkus</c>) with their service plans.</summary>
    Task<IReadOnlyList<EntraSubscribedSku>> ListSubscribedSkusAsync(CancellationToken cancellationToken = default);
}

/// <summary>One Entra sign-in. <see cref="ErrorCode"/> 0 is success; otherwise the AADSTS number (50105 = user not assigned).</summary>
public sealed record EntraSignIn(
    string Id,
    DateTimeOffset CreatedDateTime,
    string UserPrincipalName,
    string? UserId,
    string? UserDisplayName,
    string? AppId,
    string? AppDisplayName,
    string? IpAddress,
    int ErrorCode,
    string? FailureReason,
    string? CorrelationId)
{
    public bool Succeeded => ErrorCode == 0;
}

/// <summary>One directory audit event (e.g. "Update application", "Add policy").</summary>
public sealed record EntraDirectoryAudit(
    string Id,
    DateTimeOffset ActivityDateTime,
    string ActivityDisplayName,
    string Category,
    string? Result,
    string? InitiatedBy,
    IReadOnlyList<string> TargetResources);

/// <summary>
/// One licence of the tenant with the names of its service plans that are switched on (e.g. <c>AAD_PREMIUM</c>,
/// <c>AAD_PREMIUM_P2</c>; a plan whose <c>provisioningStatus</c> is <c>Disabled</c> is left out).
/// <see cref="CapabilityStatus"/> is Graph's: <c>Enabled</c>, <c>Warning</c> (grace period), <c>Suspended</c>, <c>Deleted</c>, <c>LockedOut</c>.
/// </summary>
public sealed record EntraSubscribedSku(
    string SkuId,
    string SkuPartNumber,
    string CapabilityStatus,
    int ConsumedUnits,
    int EnabledUnits,
    IReadOnlyList<string> ServicePlanNames);
