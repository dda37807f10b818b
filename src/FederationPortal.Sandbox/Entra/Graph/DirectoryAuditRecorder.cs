using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Tenant;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>
/// Writes the emulated tenant's directory audit events for every change made through the sandbox Graph, in one
/// place (<see cref="GraphRequestFilter"/>): the route of a write names the activity as Entra names it ("Add
/// application", "Update service principal", "Add policy", …); targets are resolved before the call (so a deleted
/// object keeps its name) and completed from the response (so a created one has its id). Failures are recorded too.
/// </summary>
internal sealed class DirectoryAuditRecorder(
    SandboxEntraTenant tenant, EntraActivityLog log, IOptions<SandboxOptions> options)
{
    private const string ApplicationManagement = "ApplicationManagement";
    private const string Policy = "Policy";
    private const string ProvisioningManagement = "ProvisioningManagement";

    internal delegate IReadOnlyList<Activity> Describe(DirectoryAuditRecorder recorder, RouteValueDictionary route, JsonObject? request, JsonObject? response);

    /// <summary>The writes of the sandbox Graph, by method and route template below <c>/graph/v1.0</c>.</summary>
    private static readonly Dictionary<(string Method, string Route), Describe> Routes = new()
    {
        [("POST", "/applicationTemplates/{id}/instantiate")] = (r, _, _, response) =>
        [
            new("Add application", ApplicationManagement, "Add", [Target(response?["application"], "Application")]),
            new("Add service principal", ApplicationManagement, "Add", [Target(response?["servicePrincipal"], "ServicePrincipal")]),
        ],
        [("PATCH", "/applications/{id}")] = (r, route, request, _) =>
            [new("Update application", ApplicationManagement, "Update", [r.Application(route["id"], Modified(request))])],
        [("DELETE", "/applications/{id}")] = (r, route, _, _) =>
            [new("Delete application", ApplicationManagement, "Delete", [r.Application(route["id"], [])])],
        [("PATCH", "/servicePrincipals/{id}")] = (r, route, request, _) =>
            [new("Update service principal", ApplicationManagement, "Update", [r.ServicePrincipal(route["id"], Modified(request))])],
        [("DELETE", "/servicePrincipals/{id}")] = (r, route, _, _) =>
            [new("Delete service principal", ApplicationManagement, "Delete", [r.ServicePrincipal(route["id"], [])])],
        [("POST", "/servicePrincipals/{id}/addTokenSigningCertificate")] = (r, route, _, response) =>
            [new("Update service principal", ApplicationManagement, "Update", [r.ServicePrincipal(route["id"],
                [new StoredModifiedProperty("KeyDescription", null, $"[\"[KeyIdentifier={response?["thumbprint"]?.GetValue<string>()},KeyType=AsymmetricX509Cert,KeyUsage=Sign,DisplayName={response?["displayName"]?.GetValue<string>()}]\"]"),
                 new StoredModifiedProperty("Included Updated Properties", null, "\"KeyDescription\"")])])],
        [("POST", "/servicePrincipals/{id}/appRoleAssignedTo")] = (r, route, request, response) => [r.Assignment(route["id"], request, response, added: true)],
        [("DELETE", "/servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}")] = (r, route, _, _) => [r.Assignment(route["id"], route["assignmentId"])],
        [("POST", "/servicePrincipals/{id}/claimsMappingPolicies/$ref")] = (r, route, request, _) =>
            [new("Add policy to service principal", Policy, "Assign",
                [r.ServicePrincipal(route["id"], []), r.ClaimsPolicy(request?["@odata.id"]?.GetValue<string>()?.TrimEnd('/').Split('/')[^1])])],
        [("DELETE", "/servicePrincipals/{id}/claimsMappingPolicies/{policyId}/$ref")] = (r, route, _, _) =>
            [new("Remove policy from service principal", Policy, "Unassign", [r.ServicePrincipal(route["id"], []), r.ClaimsPolicy(route["policyId"])])],
        [("POST", "/policies/claimsMappingPolicies")] = (_, _, request, response) =>
            [new("Add policy", Policy, "Add", [Target(response, "Policy", request?["displayName"]?.GetValue<string>())])],
        [("DELETE", "/policies/claimsMappingPolicies/{id}")] = (r, route, _, _) => [new("Delete policy", Policy, "Delete", [r.ClaimsPolicy(route["id"])])],
        [("POST", "/servicePrincipals/{id}/synchronization/jobs")] = (r, route, request, response) =>
            [Provisioning("Add provisioning configuration", "Add", r.ServicePrincipal(route["id"], []), response?["id"]?.GetValue<string>() ?? request?["templateId"]?.GetValue<string>())],
        [("DELETE", "/servicePrincipals/{id}/synchronization/jobs/{jobId}")] = (r, route, _, _) =>
            [Provisioning("Delete provisioning configuration", "Delete", r.ServicePrincipal(route["id"], []), route["jobId"] as string)],
        [("POST", "/servicePrincipals/{id}/synchronization/jobs/{jobId}/start")] = (r, route, _, _) =>
            [Provisioning("Start provisioning", "Update", r.ServicePrincipal(route["id"], []), route["jobId"] as string)],
        [("PUT", "/servicePrincipals/{id}/synchronization/secrets")] = (r, route, _, _) =>
            [Provisioning("Update provisioning setting or credentials", "Update", r.ServicePrincipal(route["id"], []), null)],
    };

    /// <summary>Before the call: the pending audit of a write, with the targets as they are now; null for reads.</summary>
    public PendingAudit? Begin(HttpContext context)
    {
        var template = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var marker = template?.IndexOf("/graph/v1.0", StringComparison.Ordinal) ?? -1;
        if (template is null || marker < 0)
        {
            return null;
        }

        var key = (context.Request.Method.ToUpperInvariant(), template[(marker + "/graph/v1.0".Length)..]);
        if (!Routes.TryGetValue(key, out var describe))
        {
            return null;
        }

        // Deletions lose their names: describe them now. Creations get theirs from the response.
        var before = context.Request.Method == "DELETE" ? Safely(() => describe(this, context.Request.RouteValues, null, null)) : null;
        return new PendingAudit(this, describe, before, tenant.Time.GetUtcNow());
    }

    private void Complete(PendingAudit pending, HttpContext context, string? failure)
    {
        var request = context.Items[GraphJson.RequestBodyKey] as JsonObject;
        var response = context.Items[GraphJson.ResponseBodyKey] as JsonObject;
        var activities = pending.Before ?? Safely(() => pending.Describe(this, context.Request.RouteValues, request, failure is null ? response : null));
        var sandbox = options.Value;
        var correlationId = context.Request.Headers["client-request-id"].FirstOrDefault() is { } clientRequestId && Guid.TryParse(clientRequestId, out _)
            ? clientRequestId
            : Guid.NewGuid().ToString();
        foreach (var activity in activities ?? [])
        {
            log.RecordAudit(new StoredDirectoryAudit
            {
                Id = $"{(activity.Category == ProvisioningManagement ? "Sync" : "Directory")}_{Guid.NewGuid()}_{Suffix()}",
                ActivityDateTime = pending.StartedAt,
                ActivityDisplayName = activity.Name,
                Category = activity.Category,
                CorrelationId = correlationId,
                LoggedByService = activity.Category == ProvisioningManagement ? "Account Provisioning" : "Core Directory",
                OperationType = activity.OperationType,
                Result = failure is null ? "success" : "failure",
                ResultReason = failure ?? "",
                InitiatorAppId = sandbox.ClientId,
                InitiatorDisplayName = "FederationPortal",
                InitiatorServicePrincipalId = ClientServicePrincipalId(sandbox.ClientId),
                TargetResources = [.. activity.Targets],
                AdditionalDetails = [new("User-Agent", context.Request.Headers.UserAgent.ToString()), new("AppId", sandbox.ClientId)],
            });
        }
    }

    private static IReadOnlyList<Activity>? Safely(Func<IReadOnlyList<Activity>> describe)
    {
        try
        {
            return describe();
        }
        catch (GraphException)
        {
            // A target that does not exist: the call itself fails and is recorded with whatever is known.
            return null;
        }
    }

    private StoredAuditTarget Application(object? id, List<StoredModifiedProperty> modified)
    {
        var app = Find(() => tenant.Application(id as string ?? ""));
        return new StoredAuditTarget { Id = app?.Id ?? id as string ?? "", DisplayName = app?.DisplayName, Type = "Application", ModifiedProperties = modified };
    }

    private StoredAuditTarget ServicePrincipal(object? id, List<StoredModifiedProperty> modified)
    {
        var sp = Find(() => tenant.ServicePrincipal(id as string ?? ""));
        return new StoredAuditTarget { Id = sp?.Id ?? id as string ?? "", DisplayName = sp?.DisplayName, Type = "ServicePrincipal", ModifiedProperties = modified };
    }

    private StoredAuditTarget ClaimsPolicy(object? id)
    {
        var policy = Find(() => tenant.ClaimsMappingPolicy(id as string ?? ""));
        return new StoredAuditTarget { Id = policy?.Id ?? id as string ?? "", DisplayName = policy?.DisplayName, Type = "Policy" };
    }

    /// <summary>"Add app role assignment grant to user" / "… to group" (or the removals), targeting the principal and the service principal.</summary>
    private Activity Assignment(object? spId, JsonObject? request, JsonObject? response, bool added)
    {
        var principalId = response?["principalId"]?.GetValue<string>() ?? request?["principalId"]?.GetValue<string>() ?? "";
        var type = response?["principalType"]?.GetValue<string>()
                   ?? (tenant.Directory.FindGroup(principalId) is not null ? "Group" : "User");
        var name = response?["principalDisplayName"]?.GetValue<string>();
        return AssignmentActivity(spId, principalId, type, name, response?["appRoleId"]?.GetValue<string>() ?? request?["appRoleId"]?.GetValue<string>(), added);
    }

    private Activity Assignment(object? spId, object? assignmentId)
    {
        var assignment = tenant.AssignmentsOf(spId as string ?? "").FirstOrDefault(a => a.Id == assignmentId as string)
                         ?? throw GraphException.NotFound(assignmentId as string ?? "");
        return AssignmentActivity(spId, assignment.PrincipalId, assignment.PrincipalType, assignment.PrincipalDisplayName, assignment.AppRoleId.ToString(), added: false);
    }

    private Activity AssignmentActivity(object? spId, string principalId, string principalType, string? principalName, string? appRoleId, bool added)
    {
        var user = principalType == "User" ? tenant.Directory.FindUser(principalId) : null;
        var principal = new StoredAuditTarget
        {
            Id = principalId,
            DisplayName = principalName,
            Type = principalType,
            UserPrincipalName = user?.UserPrincipalName,
            ModifiedProperties = [new StoredModifiedProperty("AppRole.Id", null, appRoleId is null ? null : $"\"{appRoleId}\"")],
        };
        var (name, category) = (principalType, added) switch
        {
            ("Group", true) => ("Add app role assignment to group", "GroupManagement"),
            ("Group", false) => ("Remove app role assignment from group", "GroupManagement"),
            ("ServicePrincipal", true) => ("Add app role assignment to service principal", ApplicationManagement),
            ("ServicePrincipal", false) => ("Remove app role assignment from service principal", ApplicationManagement),
            (_, true) => ("Add app role assignment grant to user", "UserManagement"),
            (_, false) => ("Remove app role assignment from user", "UserManagement"),
        };
        return new Activity(name, category, added ? "Assign" : "Unassign", [principal, ServicePrincipal(spId, [])]);
    }

    private static Activity Provisioning(string name, string operationType, StoredAuditTarget servicePrincipal, string? jobId)
    {
        if (jobId is not null)
        {
            servicePrincipal.ModifiedProperties.Add(new StoredModifiedProperty("JobId", null, $"\"{jobId}\""));
        }

        return new Activity(name, ProvisioningManagement, operationType, [servicePrincipal]);
    }

    private static StoredAuditTarget Target(JsonNode? created, string type, string? displayName = null) => new()
    {
        Id = created?["id"]?.GetValue<string>() ?? "",
        DisplayName = created?["displayName"]?.GetValue<string>() ?? displayName,
        Type = type,
    };

    /// <summary>The changed properties of a PATCH, as Entra lists them: one per property and "Included Updated Properties".</summary>
    private static List<StoredModifiedProperty> Modified(JsonObject? patch)
    {
        if (patch is null || patch.Count == 0)
        {
            return [];
        }

        var names = patch.Select(p => char.ToUpperInvariant(p.Key[0]) + p.Key[1..]).ToList();
        var modified = patch.Select((p, i) => new StoredModifiedProperty(names[i], null, p.Value?.ToJsonString())).ToList();
        modified.Add(new StoredModifiedProperty("Included Updated Properties", null, $"\"{string.Join(", ", names)}\""));
        return modified;
    }

    private static T? Find<T>(Func<T> lookup) where T : class
    {
        try
        {
            return lookup();
        }
        catch (GraphException)
        {
            return null;
        }
    }

    private static string Suffix() => System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 5);

    /// <summary>The portal client's service principal object id in the emulated tenant (stable, derived from its appId).</summary>
    private static string ClientServicePrincipalId(string clientId)
        => new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("sp:" + clientId))[..16]).ToString();

    internal sealed record Activity(string Name, string Category, string OperationType, IReadOnlyList<StoredAuditTarget> Targets);

    /// <summary>A write in flight; <see cref="Succeeded"/> or <see cref="Failed"/> records it.</summary>
    internal sealed class PendingAudit
    {
        private readonly DirectoryAuditRecorder recorder;

        internal PendingAudit(DirectoryAuditRecorder recorder, Describe describe, IReadOnlyList<Activity>? before, DateTimeOffset startedAt)
        {
            this.recorder = recorder;
            Describe = describe;
            Before = before;
            StartedAt = startedAt;
        }

        internal Describe Describe { get; }

        internal IReadOnlyList<Activity>? Before { get; }

        internal DateTimeOffset StartedAt { get; }

        public void Succeeded(HttpContext context) => recorder.Complete(this, context, failure: null);

        public void Failed(HttpContext context, string reason) => recorder.Complete(this, context, reason);
    }
}
