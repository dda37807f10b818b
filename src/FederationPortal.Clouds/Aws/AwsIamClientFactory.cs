using FederationPortal.Core.Aws;
using FederationPortal.Core.Clouds;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// IAM connectors for explicit credentials, on the portal's IAM endpoint, through the same
/// <see cref="AwsHttpClients.Iam"/> client as the portal's own: only the credentials on each request differ.
/// </summary>
internal sealed class AwsIamClientFactory(IHttpClientFactory httpClients, ICloudEndpointsProvider endpointsProvider, AwsRetryPolicy retry, ILoggerFactory loggers) : IAwsIamClientFactory
{
    public IAwsIam ForCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        var keys = new AwsKeyPair(accessKeyId, secretAccessKey, sessionToken);
        var client = new AwsQueryClient(() => httpClients.CreateClient(AwsHttpClients.Iam), new OverriddenCredentials(endpointsProvider, keys),
            e => e.IamEndpoint, "iam", "2010-05-08", retry, loggers.CreateLogger("FederationPortal.Clouds.Aws.Iam"), signingRegion: "us-east-1");
        return new AwsIamConnector(client);
    }

    /// <summary>The portal's endpoints with other credentials.</summary>
    private sealed class OverriddenCredentials(ICloudEndpointsProvider inner, AwsKeyPair keys) : ICloudEndpointsProvider
    {
        public CloudEndpoints GetEndpoints() => inner.GetEndpoints() with { AwsCredentials = keys, AwsProfile = null };
    }
}
