using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Tenant;
using FederationPortal.Sandbox.People;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>The Graph v1.0 subset the portal uses, on the wire exactly as Graph answers.</summary>
internal static class GraphEndpoints
{
    public static void Map(RouteGroupBuilder graph)
    {
        // applicationTemplates
        graph.MapGet("/applicationTemplates", (HttpContext c) =>
            GraphJson.Collection(c, "applicationTemplates", "applicationTemplate", SandboxEntraTenant.Templates.Select(t => t.ToJson())));
        graph.MapGet("/applicationTemplates/{id}", (HttpContext c, string id) =>
            SandboxEntraTenant.Templates.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase)) is { } template
                ? GraphJson.Entity(c, "applicationTemplates", template.ToJson())
                : throw GraphException.NotFound(id));
        graph.MapPost("/applicationTemplates/{id}/instantiate", async (HttpContext c, string id, SandboxEntraTenant tenant) =>
        {
            var body = await GraphJson.ReadBodyAsync(c.Request);
            var (app, sp) = tenant.Instantiate(id, body["displayName"]?.GetValue<string>() ?? "");
            var result = new JsonObject
            {
                ["@odata.context"] = $"{GraphJson.BaseUrl(c)}/$metadata#microsoft.graph.applicationServicePrincipal",
                ["application"] = GraphRepresentations.Application(app),
                ["servicePrincipal"] = GraphRepresentations.ServicePrincipal(sp, app),
            };
            return GraphJson.Json(c, result, 201);
        });

        // applications
        graph.MapGet("/applications", (HttpContext c, SandboxEntraTenant tenant) =>
            GraphJson.Collection(c, "applications", "application", tenant.Applications.Select(GraphRepresentations.Application)));
        graph.MapGet("/applications/{id}", (HttpContext c, string id, SandboxEntraTenant tenant) =>
            GraphJson.Entity(c, "applications", GraphRepresentations.Application(tenant.Application(id))));
        graph.MapPatch("/applications/{id}", async (HttpContext c, string id, SandboxEntraTenant tenant) =>
        {
            tenant.PatchApplication(id, await GraphJson.ReadBodyAsync(c.Request));
            return Results.NoContent();
        });
        graph.MapDelete("/applications/{id}", (string id, SandboxEntraTenant tenant) =>
        {
            tenant.DeleteApplication(id);
            return Results.NoContent();
        });

        // servicePrincipals
        graph.MapGet("/servicePrincipals", (HttpContext c, SandboxEntraTenant tenant) =>
            GraphJson.Collection(c, "servicePrincipals", "servicePrincipal", tenant.ServicePrincipals.Select(sp => GraphRepresentations.ServicePrincipal(sp, tenant.ApplicationByAppId(sp.AppId)))));
        graph.MapGet("/servicePrincipals/{id}", (HttpContext c, string id, SandboxEntraTenant tenant) =>
        {
            var sp = tenant.ServicePrincipal(id);
            var json = GraphRepresentations.ServicePrincipal(sp, tenant.ApplicationByAppId(sp.AppId));
            if (c.Request.Query["$select"].ToString().Contains("keyCredentials", StringComparison.OrdinalIgnoreCase))
            {
                // As Graph: a key credential's public key is returned only on $select of a single object.
                foreach (var key in json["keyCredentials"]!.AsArray().OfType<System.Text.Json.Nodes.JsonObject>())
                {
                    key["key"] = tenant.PublicCertificate(key["customKeyIdentifier"]?.GetValue<string>());
                }
            }

            return GraphJson.Entity(c, "servicePrincipals", json);
        });
        graph.MapPatch("/servicePrincipals/{id}", async (HttpContext c, string id, SandboxEntraTenant tenant) =>
        {
            tenant.PatchServicePrincipal(id, await GraphJson.ReadBodyAsync(c.Request));
            return Results.NoContent();
        });
        graph.MapDelete("/servicePrincipals/{id}", (string id, SandboxEntraTenant tenant) =>
        {
            tenant.DeleteServicePrincipal(id);
            return Results.NoContent();
        });
        graph.MapPost("/servicePrincipals/{id}/addTokenSigningCertificate", async (HttpContext c, string id, SandboxEntraTenant tenant) =>
        {
            var certificate = tenant.AddTokenSigningCertificate(id, await GraphJson.ReadBodyAsync(c.Request));
            certificate["@odata.context"] = $"{GraphJson.BaseUrl(c)}/$metadata#microsoft.graph.selfSignedCertificate";
            return GraphJson.Json(c, certificate);
        });

        // appRoleAssignedTo
        graph.MapGet("/servicePrincipals/{id}/appRoleAssignedTo", (HttpContext c, string id, SandboxEntraTenant tenant) =>
            GraphJson.Collection(c, $"servicePrincipals('{id}')/appRoleAssignedTo", "appRoleAssignment", tenant.AssignmentsOf(id).Select(GraphRepresentations.Assignment)));
        graph.MapPost("/servicePrincipals/{id}/appRoleAssignedTo", async (HttpContext c, string id, SandboxEntraTenant tenant) =>
        {
            var assignment = tenant.Assign(id, await GraphJson.ReadBodyAsync(c.Request));
            return GraphJson.Entity(c, $"servicePrincipals('{id}')/appRoleAssignedTo", GraphRepresentations.Assignment(assignment), 201);
        });
        graph.MapDelete("/servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}", (string id, string assignmentId, SandboxEntraTenant tenant) =>
        {
            tenant.Unassign(id, assignmentId);
            return Results.NoContent();
        });

        // claims mapping policies
        graph.MapGet("/servicePrincipals/{id}/claimsMappingPolicies", (HttpContext c, string id, SandboxEntraTenant tenant) =>
            GraphJson.Collection(c, "policies/claimsMappingPolicies", "claimsMappingPolicy",
                tenant.ServicePrincipal(id).ClaimsMappingPolicyIds.Select(tenant.ClaimsMappingPolicy).Select(GraphRepresentations.ClaimsMappingPolicy)));
        graph.MapPost("/servicePrincipals/{id}/claimsMappingPolicies/$ref", async (HttpContext c, string id, SandboxEntraTenant tenant) =>
        {
            tenant.AssignClaimsMappingPolicy(id, await GraphJson.ReadBodyAsync(c.Request));
            return Results.NoContent();
        });
        graph.MapDelete("/servicePrincipals/{id}/claimsMappingPolicies/{policyId}/$ref", (string id, string policyId, SandboxEntraTenant tenant) =>
        {
            tenant.RemoveClaimsMappingPolicy(id, policyId);
            return Results.NoContent();
        });
        graph.MapGet("/policies/claimsMappingPolicies", (HttpContext c, SandboxEntraTenant tenant) =>
            GraphJson.Collection(c, "policies/claimsMappingPolicies", "claimsMappingPolicy", tenant.ClaimsMappingPolicies.Select(GraphRepresentations.ClaimsMappingPolicy)));
        graph.MapPost("/policies/claimsMappingPolicies", async (HttpContext c, SandboxEntraTenant tenant) =>
            GraphJson.Entity(c, "policies/claimsMappingPolicies", GraphRepresentations.ClaimsMappingPolicy(tenant.CreateClaimsMappingPolicy(await GraphJson.ReadBodyAsync(c.Request))), 201));
        graph.MapGet("/policies/claimsMappingPolicies/{id}", (HttpContext c, string id, SandboxEntraTenant tenant) =>
            GraphJson.Entity(c, "policies/claimsMappingPolicies", GraphRepresentations.ClaimsMappingPolicy(tenant.ClaimsMappingPolicy(id))));
        graph.MapDelete("/policies/claimsMappingPolicies/{id}", (string id, SandboxEntraTenant tenant) =>
        {
            tenant.DeleteClaimsMappingPolicy(id);
            return Results.NoContent();
        });

        // users and groups
        graph.MapGet("/users", (HttpContext c, SandboxDirectory directory) =>
            GraphJson.Collection(c, "users", "user", directory.Users.OrderBy(u => u.DisplayName, StringComparer.OrdinalIgnoreCase).Select(GraphRepresentations.User)));
        graph.MapGet("/users/{id}", (HttpContext c, string id, SandboxDirectory directory) =>
            GraphJson.Entity(c, "users", GraphRepresentations.User(directory.FindUser(id) ?? throw GraphException.NotFound(id))));
        graph.MapGet("/groups", (HttpContext c, SandboxDirectory directory) =>
            GraphJson.Collection(c, "groups", "group", directory.Groups.OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase).Select(GraphRepresentations.Group)));
        graph.MapGet("/groups/{id}", (HttpContext c, string id, SandboxDirectory directory) =>
            GraphJson.Entity(c, "groups", GraphRepresentations.Group(directory.FindGroup(id) ?? throw GraphException.NotFound(id))));
        graph.MapGet("/groups/{id}/members", (HttpContext c, string id, SandboxDirectory directory) =>
        {
            var group = directory.FindGroup(id) ?? throw GraphException.NotFound(id);
            return GraphJson.Collection(c, "directoryObjects", "directoryObject",
                group.MemberIds.Select(m => directory.FindUser(m)).OfType<SandboxUser>().Select(GraphRepresentations.User));
        });

        // activity reports and licences (Graph answers 403 without the permission)
        graph.MapGet("/auditLogs/signIns", (HttpContext c, EntraActivityLog activity) =>
        {
            GraphJson.RequireAnyPermission(c, "AuditLog.Read.All");
            return GraphJson.Collection(c, "auditLogs/signIns", "signIn", activity.SignIns().Select(GraphRepresentations.SignIn));
        });
        graph.MapGet("/auditLogs/directoryAudits", (HttpContext c, EntraActivityLog activity) =>
        {
            GraphJson.RequireAnyPermission(c, "AuditLog.Read.All");
            return GraphJson.Collection(c, "auditLogs/directoryAudits", "directoryAudit", activity.DirectoryAudits().Select(GraphRepresentations.DirectoryAudit));
        });
        graph.MapGet("/subscribedSkus", (HttpContext c, IOptions<SandboxEntraOptions> entra, IOptions<SandboxOptions> sandbox, SandboxDirectory directory) =>
        {
            GraphJson.RequireAnyPermission(c, "LicenseAssignment.Read.All", "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All");
            var users = directory.Users.Count();
            return GraphJson.Collection(c, "subscribedSkus", "subscribedSku",
                entra.Value.EffectiveLicences.Distinct(StringComparer.Ordinal).Select(sku => SandboxLicences.ToJson(SandboxLicences.Catalog[sku], sandbox.Value.TenantId, users)),
                supportsFilter: false);
        });

        SynchronizationEndpoints.Map(graph);

        // Anything else: Graph's answer for an unknown segment.
        graph.Map("/{**rest}", (HttpContext c, string rest) =>
            GraphJson.Error(c, 400, "BadRequest", $"Resource not found for the segment '{rest.Split('/')[0]}'."));
    }
}
