using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Graph;
using FederationPortal.Sandbox.People;

namespace FederationPortal.Sandbox.Entra.Tenant;

/// <summary>App role assignments of users and groups, and the roles a user holds through them.</summary>
internal sealed partial class SandboxEntraTenant
{
    public IEnumerable<StoredAppRoleAssignment> AssignmentsOf(string spId)
        => store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind).Where(a => a.ResourceId == ServicePrincipal(spId).Id).OrderBy(a => a.CreatedDateTime);

    public StoredAppRoleAssignment Assign(string spId, JsonObject body)
    {
        string Required(string name) => body[name]?.GetValue<string>() is { Length: > 0 } v ? v : throw GraphException.BadRequest($"Property '{name}' is required.");
        var principalId = Required("principalId");
        var resourceId = Required("resourceId");
        if (!Guid.TryParse(Required("appRoleId"), out var appRoleId))
        {
            throw GraphException.BadRequest("Property 'appRoleId' must be a GUID.");
        }

        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            if (!string.Equals(resourceId, sp.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw GraphException.BadRequest("The resourceId must be the id of the service principal in the request URL.");
            }

            (string Type, string Name) principal = directory.FindUser(principalId) is { } user && user.Id == principalId ? ("User", user.DisplayName)
                : directory.FindGroup(principalId) is { } group ? ("Group", group.DisplayName)
                : throw GraphException.NotFound(principalId);

            if (appRoleId != Guid.Empty)
            {
                var role = sp.AppRoles.FirstOrDefault(r => r.Id == appRoleId);
                if (role is null || !role.IsEnabled || !role.AllowedMemberTypes.Contains("User"))
                {
                    throw GraphException.BadRequest("Permission being assigned was not found on application");
                }
            }

            if (store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind).Any(a => a.ResourceId == sp.Id && a.PrincipalId == principalId && a.AppRoleId == appRoleId))
            {
                throw new GraphException(400, "Request_BadRequest", "Permission being assigned already exists on the object");
            }

            var assignment = new StoredAppRoleAssignment
            {
                Id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                AppRoleId = appRoleId,
                PrincipalId = principalId,
                PrincipalType = principal.Type,
                PrincipalDisplayName = principal.Name,
                ResourceId = sp.Id,
                ResourceDisplayName = sp.DisplayName,
                CreatedDateTime = time.GetUtcNow(),
            };
            store.Put(StoredAppRoleAssignment.Kind, assignment.Id, assignment);
            return assignment;
        }
    }

    public void Unassign(string spId, string assignmentId)
    {
        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            var assignment = store.Get<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind, assignmentId);
            if (assignment is null || assignment.ResourceId != sp.Id)
            {
                throw GraphException.NotFound(assignmentId);
            }

            store.Delete(StoredAppRoleAssignment.Kind, assignmentId);
        }
    }

    /// <summary>The enabled app roles the user holds on the service principal, directly or through a group it belongs to.</summary>
    public IReadOnlyList<StoredAppRole> RolesOf(StoredServicePrincipal sp, SandboxUser user)
    {
        var principals = directory.GroupsOf(user.Id).Select(g => g.Id).Append(user.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var roleIds = store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind)
            .Where(a => a.ResourceId == sp.Id && principals.Contains(a.PrincipalId))
            .Select(a => a.AppRoleId)
            .ToHashSet();
        return sp.AppRoles.Where(r => roleIds.Contains(r.Id) && r.IsEnabled).ToList();
    }

    public bool IsAssigned(StoredServicePrincipal sp, SandboxUser user)
    {
        var principals = directory.GroupsOf(user.Id).Select(g => g.Id).Append(user.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind).Any(a => a.ResourceId == sp.Id && principals.Contains(a.PrincipalId));
    }

    public void SaveServicePrincipal(StoredServicePrincipal sp)
    {
        lock (gate)
        {
            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }
    }

    private static List<string> StringList(JsonNode? value, string property)
        => value is JsonArray array && array.All(e => e is JsonValue v && v.TryGetValue<string>(out _))
            ? array.Select(e => e!.GetValue<string>()).ToList()
            : throw GraphException.BadRequest($"Property '{property}' must be an array of strings.");

    private static GraphException BadProperty(string property, string type)
        => new(400, "Request_BadRequest", $"Property '{property}' does not exist as a declared property or extension property of type 'microsoft.graph.{type}', or it cannot be updated.");
}
