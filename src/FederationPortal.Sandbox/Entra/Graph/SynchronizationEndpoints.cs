using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary><c>servicePrincipals/{id}/synchronization/…</c> and <c>auditLogs/provisioning</c>.</summary>
internal static class SynchronizationEndpoints
{
    public static void Map(RouteGroupBuilder graph)
    {
        const string Base = "/servicePrincipals/{id}/synchronization";
        graph.MapGet($"{Base}/templates", (HttpContext c, string id, SandboxSynchronization sync) =>
            GraphJson.Collection(c, $"servicePrincipals('{id}')/synchronization/templates", "synchronizationTemplate", sync.Templates(id), supportsFilter: false));
        graph.MapGet($"{Base}/jobs", (HttpContext c, string id, SandboxSynchronization sync) =>
            GraphJson.Collection(c, $"servicePrincipals('{id}')/synchronization/jobs", "synchronizationJob", sync.Jobs(id).Select(SandboxSynchronization.ToJson), supportsFilter: false));
        graph.MapPost($"{Base}/jobs", async (HttpContext c, string id, SandboxSynchronization sync) =>
            GraphJson.Entity(c, $"servicePrincipals('{id}')/synchronization/jobs", SandboxSynchronization.ToJson(sync.CreateJob(id, await GraphJson.ReadBodyAsync(c.Request))), 201));
        graph.MapGet($"{Base}/jobs/{{jobId}}", (HttpContext c, string id, string jobId, SandboxSynchronization sync) =>
            GraphJson.Entity(c, $"servicePrincipals('{id}')/synchronization/jobs", SandboxSynchronization.ToJson(sync.Job(id, jobId))));
        graph.MapDelete($"{Base}/jobs/{{jobId}}", (string id, string jobId, SandboxSynchronization sync) =>
        {
            sync.DeleteJob(id, jobId);
            return Results.NoContent();
        });
        graph.MapPost($"{Base}/jobs/{{jobId}}/validateCredentials", async (HttpContext c, string id, string jobId, SandboxSynchronization sync) =>
        {
            sync.ValidateCredentials(id, jobId, await GraphJson.ReadBodyAsync(c.Request));
            return Results.NoContent();
        });
        graph.MapPost($"{Base}/jobs/{{jobId}}/start", (string id, string jobId, SandboxSynchronization sync) =>
        {
            sync.Start(id, jobId);
            return Results.NoContent();
        });
        graph.MapPut($"{Base}/secrets", async (HttpContext c, string id, SandboxSynchronization sync) =>
        {
            sync.PutSecrets(id, await GraphJson.ReadBodyAsync(c.Request));
            return Results.NoContent();
        });
        graph.MapGet("/auditLogs/provisioning", (HttpContext c, SandboxSynchronization sync) =>
            GraphJson.Collection(c, "auditLogs/provisioning", "provisioningObjectSummary", sync.Logs.Select(SandboxSynchronization.ToJson)));
    }
}
