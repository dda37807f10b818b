using System.ComponentModel.DataAnnotations;
using FederationPortal.Sandbox.Entra.Tenant;

namespace FederationPortal.Sandbox.Entra;

/// <summary>Tunables of the emulated tenant, read from the <c>Sandbox</c> section next to <see cref="SandboxOptions"/>.</summary>
public sealed class SandboxEntraOptions : IValidatableObject
{
    /// <summary>How long objects created by <c>applicationTemplates/{id}/instantiate</c> stay unreadable (Entra replicates them asynchronously).</summary>
    [Range(0, 600_000)]
    public int InstantiateDelayMilliseconds { get; set; } = 2000;

    /// <summary>Token requests one client may make per minute before the token endpoint answers 429, as Entra does.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Sandbox:TokenRequestsPerMinute must be between 1 and 1000000.")]
    public int TokenRequestsPerMinute { get; set; } = 1200;

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
        "User.Read.All", "Group.Read.All", "Directory.Read.All",
    ];

    /// <summary>
    /// The tenant's licences (<c>Sandbox:Licences</c>), as SKU part numbers served by <c>/subscribedSkus</c>: any of
    /// ENTERPRISEPACK (Office 365 E3, no Entra ID P1), AAD_PREMIUM (P1), AAD_PREMIUM_P2 (P2), SPE_E5 (Microsoft 365 E5,
    /// with P1 and P2). Null for ENTERPRISEPACK alone, so that the default sandbox lacks P1.
    /// </summary>
    public string[]? Licences { get; set; }

    public IReadOnlyList<string> EffectiveLicences => Licences is { Length: > 0 } licences ? licences : [SandboxLicences.DefaultSku];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var sku in Licences ?? [])
        {
            if (!SandboxLicences.Catalog.ContainsKey(sku))
            {
                yield return new ValidationResult(
                    $"Sandbox:Licences contains '{sku}'; the sandbox knows {string.Join(", ", SandboxLicences.Catalog.Keys)}.", [nameof(Licences)]);
            }
        }
    }
}
