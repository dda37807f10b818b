using System.Collections.Concurrent;
using FederationPortal.Core.Clouds;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// Builds the Graph client for both Entra connectors (directory and activity logs) the same way: the SDK's default
/// handlers with one retry policy (<see cref="MaxRetries"/>, honouring Retry-After on 429/503/504), its redirect
/// handler replaced by <see cref="RedirectRefusal"/>, over <see cref="CloudTransport"/>. One client is kept per base URL
/// and identity, so its token cache and connections are reused; a client is never built per call.
/// </summary>
internal sealed class GraphServiceClientFactory(IHttpClientFactory httpClients, TimeProvider time)
{
    public const string TokenClientName = "entra";

    /// <summary>
    /// How many times a throttled (429) or unavailable (503/504) Graph call is sent again, each after the Retry-After
    /// Graph asks for: five, as the AWS connector (the SDK's default of three gives up under sustained throttling).
    /// </summary>
    public const int MaxRetries = 5;

    private readonly ConcurrentDictionary<string, GraphServiceClient> clients = new(StringComparer.Ordinal);

    /// <summary>The transport under the SDK's handlers (tests put a scripted handler here).</summary>
    public Func<HttpMessageHandler> FinalHandler { get; init; } = CloudTransport.PrimaryHandler;

    public GraphServiceClient For(CloudEndpoints endpoints)
        => clients.GetOrAdd(Key(endpoints), _ =>
        {
            var credential = GraphCredentials.For(endpoints, httpClients.CreateClient(TokenClientName), time);
            var auth = new BaseBearerTokenAuthenticationProvider(new TokenCredentialAccessTokenProvider(credential, endpoints.GraphBaseUrl));
            return new GraphServiceClient(GraphClientFactory.Create(Handlers(), finalHandler: FinalHandler()), auth, endpoints.GraphBaseUrl.ToString().TrimEnd('/'));
        });

    internal static IList<DelegatingHandler> Handlers()
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers()
            .Where(h => h is not RedirectHandler)
            .Select(h => h is RetryHandler ? new RetryHandler(new RetryHandlerOption { MaxRetry = MaxRetries }) : h)
            .ToList();
        handlers.Add(new RedirectRefusal());
        return handlers;
    }

    /// <summary>Which Graph, as whom: the base URL, the tenant, the client and how it proves itself.</summary>
    private static string Key(CloudEndpoints endpoints) => string.Join('|',
        endpoints.GraphBaseUrl, endpoints.LoginBaseUrl, endpoints.TenantId, endpoints.ClientId,
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{endpoints.ClientSecret}|{endpoints.ClientCertificatePath}|{endpoints.ClientCertificatePassword}"))));
}
