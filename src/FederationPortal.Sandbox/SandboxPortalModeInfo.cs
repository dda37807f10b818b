using FederationPortal.Core.Configuration;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox;

/// <summary>Sandbox mode: new environments start on the emulated tenant and account; Settings shows how to reach them.</summary>
internal sealed class SandboxPortalModeInfo(IOptions<SandboxOptions> options) : IPortalModeInfo
{
    public PortalMode Mode => PortalMode.Sandbox;

    public string? DefaultTenantId => options.Value.TenantId;

    public string? DefaultAccountId => options.Value.AccountId;

    public IReadOnlyList<PortalModeDetail> Describe(string baseUrl)
    {
        var info = SandboxInfo.For(options.Value, baseUrl.TrimEnd('/'));
        return
        [
            new("AWS account", info.AccountId),
            new("Entra tenant", info.TenantId, $"({info.TenantDomain})"),
            new("IAM endpoint", info.Endpoints.Iam),
            new("STS endpoint", info.Endpoints.Sts),
            new("CloudTrail endpoint", info.Endpoints.CloudTrail),
            new("Graph endpoint", info.Endpoints.Graph),
            new("Admin access key", info.AwsAdmin.AccessKeyId),
            new("Admin secret key", info.AwsAdmin.SecretAccessKey, "(sandbox-only)"),
        ];
    }
}
