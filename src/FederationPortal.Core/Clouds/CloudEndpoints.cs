namespace FederationPortal.Core.Clouds;

/// <summary>
/// Where the connectors send their calls and with which credentials. Live: the real AWS and Microsoft endpoints
/// and the configured credentials. Sandbox: the portal's own <c>/sandbox/…</c> endpoints and the sandbox's keys.
/// </summary>
public sealed record CloudEndpoints
{
    /// <summary>IAM Query endpoint, e.g. <c>https://iam.amazonaws.com/</c>.</summary>
    public required Uri IamEndpoint { get; init; }

    /// <summary>STS Query endpoint, e.g. <c>https://sts.amazonaws.com/</c>.</summary>
    public required Uri StsEndpoint { get; init; }

    /// <summary>
    /// CloudTrail JSON 1.1 endpoint, e.g. <c>https://cloudtrail.us-east-1.amazonaws.com/</c> (signed for the region in its
    /// host); null means the regional endpoint of <see cref="AwsRegion"/>. Global services (IAM, STS's global endpoint,
    /// console sign-in, hence the console's <c>AssumeRoleWithSAML</c>) are in us-east-1's event history only.
    /// </summary>
    public Uri? CloudTrailEndpoint { get; init; }

    /// <summary>Signing region for IAM (always <c>us-east-1</c> for the global endpoint) and STS.</summary>
    public string AwsRegion { get; init; } = "us-east-1";

    /// <summary>Explicit AWS credentials; null to use the SDK's standard chain (environment, profile, instance role).</summary>
    public AwsKeyPair? AwsCredentials { get; init; }

    /// <summary>A named profile from the shared credentials file; used when <see cref="AwsCredentials"/> is null.</summary>
    public string? AwsProfile { get; init; }

    /// <summary>Graph base URL, e.g. <c>https://graph.microsoft.com/v1.0</c>.</summary>
    public required Uri GraphBaseUrl { get; init; }

    /// <summary>The authority host that issues Graph tokens and serves federation metadata, e.g. <c>https://login.microsoftonline.com/</c>.</summary>
    public required Uri LoginBaseUrl { get; init; }

    public required string TenantId { get; init; }

    public required string ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? ClientCertificatePath { get; init; }

    public string? ClientCertificatePassword { get; init; }

    /// <summary>True when these endpoints are the portal's emulated clouds.</summary>
    public bool IsSandbox { get; init; }
}

/// <summary>An AWS access key pair (and session token for temporary credentials).</summary>
public sealed record AwsKeyPair(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() => $"AwsKeyPair {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = ***redacted*** }}";
}
