using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Clouds.Aws;

/// <summary><c>Portal:Aws:Retry</c>: the one retry policy of the IAM and CloudTrail connectors (backoff with full jitter).</summary>
public sealed class AwsRetryOptions
{
    public const string SectionName = "Portal:Aws:Retry";

    [Range(1, 20, ErrorMessage = "Portal:Aws:Retry:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "Portal:Aws:Retry:BaseDelay must be between 00:00:00.001 and 00:01:00.")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00", ErrorMessage = "Portal:Aws:Retry:MaxDelay must be between 00:00:00.001 and 00:05:00.")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one attempt may take before it counts as a timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Portal:Aws:Retry:AttemptTimeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
