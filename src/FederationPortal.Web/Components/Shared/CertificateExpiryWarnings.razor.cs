using FederationPortal.Core.Rotation;
using Microsoft.AspNetCore.Components;

namespace FederationPortal.Web.Components.Shared;

/// <summary>
/// Lists the environments whose active token-signing certificate expires within <see cref="WithinDays"/> days (or has
/// expired), read from the inventory and the live service principals, each with a link to its rotation page. Renders
/// nothing when every certificate is fine.
/// </summary>
public partial class CertificateExpiryWarnings
{
    private IReadOnlyList<CertificateExpiryWarning>? warnings;

    [Inject]
    private CertificateRotationService Rotation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <summary>How far ahead to warn, in days.</summary>
    [Parameter]
    public int WithinDays { get; set; } = 30;

    protected override async Task OnParametersSetAsync() => warnings = await Rotation.ListExpiringAsync(WithinDays);

    private int DaysLeft(CertificateExpiryWarning warning)
        => warning.NotAfter is { } notAfter ? (int)Math.Ceiling((notAfter - Clock.GetUtcNow()).TotalDays) : 0;
}
