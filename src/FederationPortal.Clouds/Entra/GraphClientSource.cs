using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// The Graph client both Entra connectors use: built for the current endpoints and credential, rebuilt when they
/// change, with the SDK's handlers and a retry handler that resends a throttled (429) or unavailable (503/504) call
/// <see cref="MaxRetries"/> times after the Retry-After Graph asks for.
/// </summary>
internal sealed class GraphClientSource(
    ICloudEndpointsProvider endpointsProvider,
    IHttpClientFactory httpClientFactory,
    TimeProvider time,
    Func<HttpMessageHandler> finalHandler)
{
    /// <summary>Five retries, as the AWS connector (the SDK's default of three gives up under sustained throttling).</summary>
    public const int MaxRetries = 5;

    private readonly Lock gate = new();
    private (CloudEndpoints Endpoints, GraphServiceClient Client)? current;

    public static HttpMessageHandler DefaultFinalHandler() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    public GraphServiceClient Client
    {
        get
        {
            var endpoints = endpointsProvider.GetEndpoints();
            lock (gate)
            {
                if (current is { } existing && existing.Endpoints == endpoints)
                {
                    return existing.Client;
                }

                var credential = GraphCredentials.For(endpoints, httpClientFactory.CreateClient(EntraDirectoryService.HttpClientName), time);
                var auth = new BaseBearerTokenAuthenticationProvider(new TokenCredentialAccessTokenProvider(credential, endpoints.GraphBaseUrl));
                var handlers = GraphClientFactory.CreateDefaultHandlers();
                for (var i = 0; i < handlers.Count; i++)
                {
                    if (handlers[i] is RetryHandler)
                    {
                        handlers[i] = new RetryHandler(new RetryHandlerOption { MaxRetry = MaxRetries });
                    }
                }

                var http = GraphClientFactory.Create(handlers, finalHandler: finalHandler());
                var client = new GraphServiceClient(http, auth, endpoints.GraphBaseUrl.ToString().TrimEnd('/'));
                current = (endpoints, client);
                return client;
            }
        }
    }
}
