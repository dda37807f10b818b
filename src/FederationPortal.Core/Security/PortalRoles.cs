namespace FederationPortal.Core.Security;

/// <summary>The portal's own app roles, as they arrive in the <c>roles</c> claim.</summary>
public static class PortalRoles
{
    /// <summary>May change anything the portal manages.</summary>
    public const string Admin = "FederationPortal.Admin";

    /// <summary>Sees everything, changes nothing.</summary>
    public const string Reader = "FederationPortal.Reader";

    public static readonly IReadOnlyList<string> All = [Admin, Reader];
}
