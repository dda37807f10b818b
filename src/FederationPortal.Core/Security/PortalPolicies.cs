namespace FederationPortal.Core.Security;

/// <summary>Authorization policy names used by endpoints and components.</summary>
public static class PortalPolicies
{
    /// <summary>Any signed-in user holding Admin or Reader.</summary>
    public const string CanRead = "CanRead";

    /// <summary>Only Admin: every mutating action.</summary>
    public const string CanWrite = "CanWrite";
}
