using FederationPortal.Clouds.Aws;
using FederationPortal.Core.Aws;
using Microsoft.Extensions.Logging;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// An IAM client bound to a given endpoint and access key, as Entra's AWS provisioning connector uses one: with the
/// key an admin typed into "Admin Credentials", not the portal's own. The emulated tenant uses this to call the
/// (sandbox) IAM exactly as the real connector calls AWS. Dispose the client when done.
/// </summary>
public sealed class ProvisioningIamClientFactory(ILoggerFactory loggers, TimeProvider time)
{
    public ProvisioningIamClient Create(Uri iamEndpoint, AwsKeyPair keys)
    {
        var endpoints = new FixedEndpoints(new CloudEndpoints
        {
            IamEndpoint = iamEndpoint,
            StsEndpoint = iamEndpoint,
            AwsCredentials = keys,
            GraphBaseUrl = new Uri("https://graph.microsoft.com/v1.0/"),
            LoginBaseUrl = new Uri("https://login.microsoftonline.com/"),
            TenantId = "",
            ClientId = "",
        });
        var query = new AwsQueryClient(
            endpoints,
            e => e.IamEndpoint,
            "iam",
            "2010-05-08",
            new AwsRetryPolicy(time) { MaxAttempts = 3 },
            loggers.CreateLogger("FederationPortal.Clouds.Entra.ProvisioningIam"));
        return new ProvisioningIamClient(new AwsIamConnector(query), query);
    }

    private sealed class FixedEndpoints(CloudEndpoints endpoints) : ICloudEndpointsProvider
    {
        public CloudEndpoints GetEndpoints() => endpoints;
    }
}

/// <summary>An <see cref="IAwsIam"/> bound to one access key; owns its HTTP connection.</summary>
public sealed class ProvisioningIamClient : IDisposable
{
    private readonly IDisposable connection;

    internal ProvisioningIamClient(IAwsIam iam, IDisposable connection)
    {
        Iam = iam;
        this.connection = connection;
    }

    public IAwsIam Iam { get; }

    public void Dispose() => connection.Dispose();
}
