namespace FederationPortal.Core.Configuration;

/// <summary>The real clouds: no tenant or account to suggest, nothing emulated to describe.</summary>
public sealed class LivePortalModeInfo : IPortalModeInfo
{
    public PortalMode Mode => PortalMode.Live;

    public string? DefaultTenantId => null;

    public string? DefaultAccountId => null;

    public IReadOnlyList<PortalModeDetail> Describe(string baseUrl) => [];
}
