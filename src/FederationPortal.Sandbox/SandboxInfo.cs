namespace FederationPortal.Sandbox;

/// <summary>What <c>GET /sandbox/info</c> returns: enough for a script or the AWS CLI to use the sandbox.</summary>
public sealed record SandboxInfo(
    string Mode,
    string AccountId,
    string TenantId,
    string TenantDomain,
    SandboxEndpoints Endpoints,
    SandboxAwsCredentials AwsAdmin,
    SandboxGraphClient GraphClient)
{
    public static SandboxInfo For(SandboxOptions options, string baseUrl) => new(
        "Sandbox",
        options.AccountId,
        options.TenantId,
        options.TenantDomain,
        new SandboxEndpoints(
            $"{baseUrl}/sandbox/aws/iam",
            $"{baseUrl}/sandbox/aws/sts",
            $"{baseUrl}/sandbox/aws/cloudtrail",
            $"{baseUrl}/sandbox/graph/v1.0",
            $"{baseUrl}/sandbox/login/{options.TenantId}",
            $"{baseUrl}/sandbox/login/{options.TenantId}/oauth2/v2.0/token"),
        new SandboxAwsCredentials(options.AdminAccessKeyId, options.AdminSecretAccessKey, "us-east-1"),
        new SandboxGraphClient(options.ClientId, options.ClientSecret));
}

public sealed record SandboxEndpoints(string Iam, string Sts, string CloudTrail, string Graph, string Login, string Token);

public sealed record SandboxAwsCredentials(string AccessKeyId, string SecretAccessKey, string Region);

public sealed record SandboxGraphClient(string ClientId, string ClientSecret);
