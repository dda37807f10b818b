using FederationPortal.Core.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FederationPortal.Web.Health;

/// <summary>Healthy when the portal database answers.</summary>
internal sealed class DatabaseHealthCheck(IPortalDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("The portal database answers.")
                : HealthCheckResult.Unhealthy("The portal database does not answer.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The portal database does not answer.", ex);
        }
    }
}
