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
}
