using FederationPortal.Core.Clouds;
using FederationPortal.Core.Configuration;
using Microsoft.Extensions.Options;

namespace FederationPortal.Clouds;

/// <summary>The real AWS and Microsoft endpoints with the credentials configured under <c>Portal</c>.</summary>
internal sealed class LiveCloudEndpointsProvider(IOptions<PortalOptions> portalOptions) : ICloudEndpointsProvider
{
    private readonly Lazy<CloudEndpoints> endpoints = new(() => Build(portalOptions.Value));

    public CloudEndpoints GetEndpoints() => endpoints.Value;

    private static CloudEndpoints Build(PortalOptions portal)
    {
        var entra = portal.Entra;
        var aws = portal.Aws;
        return new CloudEndpoints
        {
            IamEndpoint = new Uri("https://iam.amazonaws.com/"),
            StsEndpoint = new Uri($"https://sts.{aws.Region}.amazonaws.com/"),
            // The console's AssumeRoleWithSAML is a global-service event: LookupEvents shows it in us-east-1 only.
            CloudTrailEndpoint = new Uri("https://cloudtrail.us-east-1.amazonaws.com/"),
            AwsRegion = aws.Region,
            AwsCredentials = string.IsNullOrWhiteSpace(aws.AccessKeyId) ? null : new AwsKeyPair(aws.AccessKeyId, aws.SecretAccessKey!, aws.SessionToken),
            AwsProfile = aws.Profile,
            GraphBaseUrl = new Uri(entra.GraphBaseUrl.TrimEnd('/') + "/"),
            LoginBaseUrl = new Uri(entra.Instance.TrimEnd('/') + "/"),
            TenantId = entra.TenantId!,
            ClientId = entra.ClientId!,
            ClientSecret = entra.ClientSecret,
            ClientCertificatePath = entra.CertificatePath,
            ClientCertificatePassword = entra.CertificatePassword,
            IsSandbox = false,
        };
    }
}
