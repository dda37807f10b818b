namespace FederationPortal.Core.Security;

/// <summary>Thrown when an actor attempts an action its roles do not allow. The attempt is audited before this is thrown.</summary>
public sealed class PortalAuthorizationException(string action, PortalActor actor)
    : Exception($"{actor.DisplayName} may not perform '{action}': it needs the {PortalRoles.Admin} role.")
{
    public string Action { get; } = action;

    public PortalActor Actor { get; } = actor;
}
