namespace FederationPortal.Core.Security;

/// <summary>Who does something: a signed-in person, an API token or the portal itself (a background job).</summary>
/// <param name="Id">A stable id: the Entra object id for people, <c>token:{id}</c> for API tokens, <c>system</c> for the portal.</param>
/// <param name="DisplayName">What the audit trail shows.</param>
/// <param name="Roles">The portal roles the actor holds.</param>
public sealed record PortalActor(string Id, string DisplayName, IReadOnlyCollection<string> Roles)
{
    /// <summary>The portal acting on its own (migrations, background jobs started by nobody).</summary>
    public static readonly PortalActor System = new("system", "FederationPortal", [PortalRoles.Admin]);

    /// <summary>Someone who is not signed in.</summary>
    public static readonly PortalActor Anonymous = new("anonymous", "Anonymous", []);

    public bool IsAdmin => Roles.Contains(PortalRoles.Admin);

    public bool CanRead => IsAdmin || Roles.Contains(PortalRoles.Reader);
}
