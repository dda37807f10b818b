using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Sandbox.Entra;

/// <summary>Tunables of the emulated tenant, read from the <c>Sandbox</c> section next to <see cref="SandboxOptions"/>.</summary>
public sealed class SandboxEntraOptions
{
    /// <summary>How long objects created by <c>applicationTemplates/{id}/instantiate</c> stay unreadable (Entra replicates them asynchronously).</summary>
    [Range(0, 600_000)]
    public int InstantiateDelayMilliseconds { get; set; } = 2000;

    /// <summary>Lifetime of the access tokens the sandbox token endpoint issues.</summary>
    [Range(1, 1440)]
    public int AccessTokenLifetimeMinutes { get; set; } = 60;

    /// <summary>
    /// The Graph application permissions (the token's <c>roles</c>) the sandbox client holds; null for all that the
    /// portal needs. Take some away to rehearse the preflight's "missing permission" findings.
    /// </summary>
    public string[]? GrantedPermissions { get; set; }

    public static readonly string[] AllPortalPermissions =
    [
        "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Policy.Read.All",
        "Policy.ReadWrite.ApplicationConfiguration", "Synchronization.ReadWrite.All", "AuditLog.Read.All",
        "User.Read.All", "Group.Read.All",
    ];
}
