using System.Globalization;
using FederationPortal.Core.Clouds;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// <see cref="IEntraActivityLogs"/> over the Microsoft Graph SDK: <c>/auditLogs/signIns</c> and
/// <c>/auditLogs/directoryAudits</c> (<c>AuditLog.Read.All</c>), <c>/subscribedSkus</c> (<c>Directory.Read.All</c>),
/// following <c>@odata.nextLink</c>. The client comes from <see cref="GraphServiceClientFactory"/>, as the directory
/// connector's: the same base URL, credential and retry policy for a real tenant and the sandbox, Graph errors as
/// <see cref="EntraServiceException"/>.
/// </summary>
internal sealed class EntraActivityLogs(
    ICloudEndpointsProvider endpointsProvider,
    GraphServiceClientFactory graphClients,
    ILogger<EntraActivityLogs> logger) : IEntraActivityLogs
{
    /// <summary>The largest <c>$top</c> the audit log endpoints accept.</summary>
    public const int MaxPageSize = 999;

    private GraphServiceClient Graph => graphClients.For(endpointsProvider.GetEndpoints());

    public Task<IReadOnlyList<EntraSignIn>> ListSignInsAsync(DateTimeOffset since, string? appId, int maxItems, CancellationToken cancellationToken = default)
        => Call("read the sign-in logs", async () =>
        {
            var filter = $"createdDateTime ge {ODataTime(since)}";
            if (!string.IsNullOrWhiteSpace(appId))
            {
                filter += $" and appId eq '{appId.Replace("'", "''", StringComparison.Ordinal)}'";
            }

            var all = new List<EntraSignIn>();
            var page = await Graph.AuditLogs.SignIns.GetAsync(r =>
            {
                r.QueryParameters.Filter = filter;
                r.QueryParameters.Top = PageSize(maxItems);
            }, cancellationToken);
            while (page is not null)
            {
                all.AddRange((page.Value ?? []).Select(ToModel).Take(maxItems - all.Count));
                if (all.Count >= maxItems || string.IsNullOrEmpty(page.OdataNextLink))
                {
                    break;
                }

                page = await Graph.AuditLogs.SignIns.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
            }

            return (IReadOnlyList<EntraSignIn>)all.OrderByDescending(s => s.CreatedDateTime).ToList();
        });

    public Task<IReadOnlyList<EntraDirectoryAudit>> ListDirectoryAuditsAsync(DateTimeOffset since, int maxItems, CancellationToken cancellationToken = default)
        => Call("read the directory audit logs", async () =>
        {
            var all = new List<EntraDirectoryAudit>();
            var page = await Graph.AuditLogs.DirectoryAudits.GetAsync(r =>
            {
                r.QueryParameters.Filter = $"activityDateTime ge {ODataTime(since)}";
                r.QueryParameters.Top = PageSize(maxItems);
            }, cancellationToken);
            while (page is not null)
            {
                all.AddRange((page.Value ?? []).Select(ToModel).Take(maxItems - all.Count));
                if (all.Count >= maxItems || string.IsNullOrEmpty(page.OdataNextLink))
                {
                    break;
                }

                page = await Graph.AuditLogs.DirectoryAudits.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
            }

            return (IReadOnlyList<EntraDirectoryAudit>)all.OrderByDescending(a => a.ActivityDateTime).ToList();
        });

    public Task<IReadOnlyList<EntraSubscribedSku>> ListSubscribedSkusAsync(CancellationToken cancellationToken = default)
        => Call("read the tenant's licences", async () =>
        {
            var all = new List<EntraSubscribedSku>();
            var page = await Graph.SubscribedSkus.GetAsync(cancellationToken: cancellationToken);
            while (page is not null)
            {
                all.AddRange((page.Value ?? []).Select(ToModel));
                if (string.IsNullOrEmpty(page.OdataNextLink))
                {
                    break;
                }

                page = await Graph.SubscribedSkus.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
            }

            return (IReadOnlyList<EntraSubscribedSku>)all;
        });

    /// <summary>An OData <c>DateTimeOffset</c> literal in UTC, as the Graph docs write them: <c>2026-11-27T08:00:00Z</c>.</summary>
    internal static string ODataTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static int PageSize(int maxItems) => Math.Clamp(maxItems, 1, MaxPageSize);

    private static EntraSignIn ToModel(SignIn s) => new(
        s.Id ?? "",
        s.CreatedDateTime ?? DateTimeOffset.MinValue,
        s.UserPrincipalName ?? "",
        s.UserId,
        s.UserDisplayName,
        s.AppId,
        s.AppDisplayName,
        s.IpAddress,
        s.Status?.ErrorCode ?? 0,
        s.Status?.FailureReason,
        s.CorrelationId);

    private static EntraDirectoryAudit ToModel(DirectoryAudit a) => new(
        a.Id ?? "",
        a.ActivityDateTime ?? DateTimeOffset.MinValue,
        a.ActivityDisplayName ?? "",
        a.Category ?? "",
        a.Result?.ToString(),
        a.InitiatedBy?.User?.UserPrincipalName ?? a.InitiatedBy?.App?.DisplayName,
        (a.TargetResources ?? []).Select(t => t.DisplayName ?? t.UserPrincipalName ?? t.Id ?? "").Where(t => t.Length > 0).ToList());

    /// <summary>
    /// A licence with the names of its service plans that are switched on (a plan whose <c>provisioningStatus</c> is
    /// <c>Disabled</c> is left out: its features are not available even though the sku is assigned).
    /// </summary>
    private static EntraSubscribedSku ToModel(SubscribedSku s) => new(
        s.SkuId?.ToString() ?? "",
        s.SkuPartNumber ?? "",
        s.CapabilityStatus ?? "",
        s.ConsumedUnits ?? 0,
        s.PrepaidUnits?.Enabled ?? 0,
        (s.ServicePlans ?? [])
            .Where(p => !string.Equals(p.ProvisioningStatus, "Disabled", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.ServicePlanName ?? "")
            .Where(n => n.Length > 0)
            .ToList());

    private Task<T> Call<T>(string what, Func<Task<T>> call) => GraphCalls.MapErrorsAsync(logger, what, call);
}
