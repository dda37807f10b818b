using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Core.Audit;

/// <summary><c>Portal:Audit</c>: how often the trail is anchored by a signed digest.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Portal:Audit";

    /// <summary>A digest is made this often when events were added since the last one (CloudTrail: hourly).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Portal:Audit:DigestInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromHours(1);
}
