namespace FederationPortal.Core.Configuration;

/// <summary>
/// What the pages show about the mode the portal runs in, so that they need not know the emulator: the tenant and
/// account a new environment starts with, and the emulated clouds' details for Settings. Live has nothing to show.
/// </summary>
public interface IPortalModeInfo
{
    PortalMode Mode { get; }

    /// <summary>The Entra tenant a new environment is prefilled with, or null.</summary>
    string? DefaultTenantId { get; }

    /// <summary>The AWS account a new environment is prefilled with, or null.</summary>
    string? DefaultAccountId { get; }

    /// <summary>Rows describing the emulated clouds as reached at <paramref name="baseUrl"/>; empty when there are none.</summary>
    IReadOnlyList<PortalModeDetail> Describe(string baseUrl);
}
