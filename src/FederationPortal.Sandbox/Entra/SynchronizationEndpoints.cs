using Microsoft.AspNetCore.Routing;

namespace FederationPortal.Sandbox.Entra;

/// <summary><c>servicePrincipals/{id}/synchronization/…</c> and <c>auditLogs/provisioning</c>.</summary>
internal static class SynchronizationEndpoints
{
    public static void Map(RouteGroupBuilder graph)
    {
        _ = graph;
    }
}
