using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Core.Lifecycle;

/// <summary>Engine settings (<c>Portal:Lifecycle</c>).</summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Portal:Lifecycle";

    /// <summary>How many independent actions run at once.</summary>
    [Range(1, 256, ErrorMessage = $"{SectionName}:{nameof(MaxParallelActions)} must be a whole number from 1 to 256.")]
    public int MaxParallelActions { get; set; } = 16;
}
