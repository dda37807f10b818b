using System.Security.Claims;
using FederationPortal.Core.Security;

namespace FederationPortal.Web.Security;

/// <summary>Turns a signed-in principal into the <see cref="PortalActor"/> that services authorize and audit.</summary>
public static class PortalClaims
{
    /// <summary>Entra's object id claim (short name, as issued in tokens).</summary>
    public const string ObjectId = "oid";

    /// <summary>Entra's object id claim as mapped by the JWT handler.</summary>
    public const string ObjectIdUri = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    public const string Roles = "roles";

    public static PortalActor ToActor(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return PortalActor.Anonymous;
        }

        var id = principal.FindFirstValue(ObjectId)
                 ?? principal.FindFirstValue(ObjectIdUri)
                 ?? principal.FindFirstValue(ClaimTypes.NameIdentifier)
                 ?? principal.Identity.Name
                 ?? "unknown";
        var name = principal.FindFirstValue("name") ?? principal.Identity.Name ?? id;
        var roles = principal.Claims
            .Where(c => c.Type == Roles || c.Type == ClaimTypes.Role)
            .Select(c => c.Value)
            .Where(PortalRoles.All.Contains)
            .Distinct()
            .ToArray();
        return new PortalActor(id, name, roles);
    }
}
