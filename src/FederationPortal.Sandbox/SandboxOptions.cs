using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Sandbox;

/// <summary>The <c>Sandbox</c> configuration section: the emulated tenant's and account's identities.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>The emulated Entra tenant's id.</summary>
    [Required, RegularExpression("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", ErrorMessage = "Sandbox:TenantId must be a GUID.")]
    public string TenantId { get; set; } = "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63";

    /// <summary>The emulated tenant's verified domain (users' UPN suffix).</summary>
    [Required]
    public string TenantDomain { get; set; } = "contoso.example";

    /// <summary>The emulated AWS account's 12-digit id.</summary>
    [Required, RegularExpression("^\\d{12}$", ErrorMessage = "Sandbox:AccountId must be 12 digits.")]
    public string AccountId { get; set; } = "111122223333";

    /// <summary>The emulated account's administrator access key id (AKIA…, 20 characters).</summary>
    [Required, RegularExpression("^AKIA[A-Z0-9]{16}$", ErrorMessage = "Sandbox:AdminAccessKeyId must be AKIA followed by 16 upper-case letters or digits.")]
    public string AdminAccessKeyId { get; set; } = "AKIASANDBOXADMIN0001";

    /// <summary>The emulated account's administrator secret (40 characters). Sandbox only: never a real secret.</summary>
    [Required, StringLength(40, MinimumLength = 40, ErrorMessage = "Sandbox:AdminSecretAccessKey must be 40 characters.")]
    public string AdminSecretAccessKey { get; set; } = "sandboxSecretKeyDoNotUseInProduction0001";

    /// <summary>The client the portal uses to call the emulated Graph (client-credentials).</summary>
    [Required]
    public string ClientId { get; set; } = "5c1d9e2a-7f3b-4c8d-a6e1-0b9f2d4c7e15";

    [Required]
    public string ClientSecret { get; set; } = "sandbox-graph-client-secret-not-a-real-one";

    /// <summary>
    /// The address the emulator's clients reach it at, when not the one Kestrel bound (behind a proxy, in a container).
    /// </summary>
    [Url(ErrorMessage = "Sandbox:BaseUrl must be an absolute http(s) URL.")]
    public string? BaseUrl { get; set; }

    /// <summary>Injected faults and latency (off by default).</summary>
    public SandboxFaultOptions Faults { get; set; } = new();
}

/// <summary>Fault and latency injection, for rehearsing how the portal behaves when a cloud misbehaves.</summary>
public sealed class SandboxFaultOptions
{
    /// <summary>Added to every call, in milliseconds.</summary>
    [Range(0, 60_000)]
    public int LatencyMilliseconds { get; set; }

    /// <summary>Share of calls answered with throttling (AWS <c>Throttling</c>, Graph 429 with Retry-After).</summary>
    [Range(0.0, 1.0)]
    public double ThrottleRate { get; set; }

    /// <summary>Share of calls answered with 500/503.</summary>
    [Range(0.0, 1.0)]
    public double ServerErrorRate { get; set; }

    /// <summary>Seed of the random draw, so that a run can be repeated.</summary>
    public int Seed { get; set; } = 1;
}
