using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// Signs each request with SigV4 for the credentials, region and service the request itself carries
/// (<see cref="Signing"/>), with AWSSDK.Core's <see cref="SigV4SigningHandler"/>. The endpoint is the request's URL, so
/// one client serves every endpoint and identity: no client is kept per endpoint.
/// </summary>
internal sealed class AwsSigV4Handler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<AwsSigning> Signing = new("FederationPortal.AwsSigning");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Signing, out var signing))
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri} carries no AWS signing context; set AwsSigV4Handler.Signing on the request.");
        }

        using var signer = new SigV4SigningHandler(signing.Credentials, RegionEndpoint.GetBySystemName(signing.Region), signing.Service, new Forward(base.SendAsync));
        using var invoker = new HttpMessageInvoker(signer, disposeHandler: false);
        return await invoker.SendAsync(request, cancellationToken);
    }

    /// <summary>Hands the signed request on to the rest of this handler's pipeline.</summary>
    private sealed class Forward(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> next) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => next(request, cancellationToken);
    }
}

/// <summary>Who signs a request, for which region and service.</summary>
internal sealed record AwsSigning(AWSCredentials Credentials, string Region, string Service);
