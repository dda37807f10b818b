using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>
/// A credential an admin entered in Settings for Live mode, kept only as Data Protection ciphertext. It is read back
/// into configuration at the next start (under <see cref="Name"/>, a configuration key), below environment variables
/// and the command line, so an operator can always override it.
/// </summary>
public sealed class StoredSecret
{
    /// <summary>The configuration key it supplies, e.g. <c>Portal:Entra:ClientSecret</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The value protected with the purpose <see cref="StoredSecretService.ProtectionPurpose"/>.</summary>
    public string Ciphertext { get; set; } = string.Empty;

    public string UpdatedBy { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }
}
