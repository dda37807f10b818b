using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Core.Doctor;

/// <summary>The doctor's settings (<c>Portal:Doctor</c>).</summary>
public sealed class DoctorOptions
{
    public const string SectionName = "Portal:Doctor";

    /// <summary>Warn when the active signing certificate expires within this many days.</summary>
    [Range(0, 3650, ErrorMessage = $"{SectionName}:{nameof(CertificateExpiryWarningDays)} must be a whole number of days from 0 to 3650.")]
    public int CertificateExpiryWarningDays { get; set; } = 30;
}
