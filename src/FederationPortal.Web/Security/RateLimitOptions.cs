using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Web.Security;

/// <summary>
/// How many sign-in attempts and unknown API tokens one client address may present per window
/// (<c>Portal:RateLimits</c>). Beyond them the portal answers 429 with <c>Retry-After</c>, and audits that once per
/// window; a valid API token is never refused for its address's failures.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Portal:RateLimits";

    [Range(1, 10_000, ErrorMessage = "Portal:RateLimits:SignInAttempts must be between 1 and 10000.")]
    public int SignInAttempts { get; set; } = 30;

    [Range(1, 10_000, ErrorMessage = "Portal:RateLimits:TokenFailures must be between 1 and 10000.")]
    public int TokenFailures { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Portal:RateLimits:Window must be between 00:00:01 and 01:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
