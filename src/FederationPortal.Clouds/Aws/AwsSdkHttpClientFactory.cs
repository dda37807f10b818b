using Amazon.Runtime;

namespace FederationPortal.Clouds.Aws;

/// <summary>Gives the AWS SDK's STS client the portal's <see cref="AwsHttpClients.Sts"/> client instead of one of its own.</summary>
internal sealed class AwsSdkHttpClientFactory(IHttpClientFactory httpClients) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => httpClients.CreateClient(AwsHttpClients.Sts);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
}
