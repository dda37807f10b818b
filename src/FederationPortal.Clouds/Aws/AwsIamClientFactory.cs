using FederationPortal.Core.Aws;
using Microsoft.Extensions.Logging;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// IAM connectors for explicit credentials, on the portal's IAM endpoint. They share one connection pool; each
/// connector only adds a signing handler, so a connector that is dropped holds no socket.
/// </summary>
internal sealed class AwsIamClientFactory(ICloudEndpointsProvider endpointsProvider, AwsRetryPolicy retry, ILoggerFactory loggers) : IAwsIamClientFactory, IDisposable
{
    private readonly SocketsHttpHandler shared = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    public IAwsIam ForCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        var keys = new AwsKeyPair(accessKeyId, secretAccessKey, sessionToken);
        var provider = new OverriddenCredentials(endpointsProvider, keys);
        var client = new AwsQueryClient(provider, e => e.IamEndpoint, "iam", "2010-05-08", retry,
            loggers.CreateLogger("FederationPortal.Clouds.Aws.Iam"), () => new SharedHandler(shared), signingRegion: "us-east-1");
        return new AwsIamConnector(client);
    }

    public void Dispose() => shared.Dispose();

    /// <summary>The portal's endpoints with other credentials.</summary>
    private sealed class OverriddenCredentials(ICloudEndpointsProvider inner, AwsKeyPair keys) : ICloudEndpointsProvider
    {
        private CloudEndpoints? cached;

        public CloudEndpoints GetEndpoints() => cached ??= inner.GetEndpoints() with { AwsCredentials = keys, AwsProfile = null };
    }

    /// <summary>Passes requests to the shared pool without disposing it when a connector's client goes away.</summary>
    private sealed class SharedHandler(HttpMessageHandler pool) : DelegatingHandler(pool)
    {
        protected override void Dispose(bool disposing)
        {
            // The pool belongs to the factory.
        }
    }
}
