using System.Net;
using System.Text;
using FederationPortal.Clouds.Aws;
using FederationPortal.Clouds.Entra;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Clouds;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FederationPortal.Clouds.Tests.Aws;

/// <summary>
/// One outgoing pipeline: a client signs per request for the endpoint and identity of that request (no client kept
/// per endpoint), and no cloud client follows a redirect — the transport half of the HTTP 414 that once failed CI.
/// </summary>
public sealed class AwsHttpPipelineTests
{
    private const string Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    private static CloudEndpoints Endpoints(string iam, string keyId) => new()
    {
        IamEndpoint = new Uri(iam),
        StsEndpoint = new Uri("http://sts.test/"),
        AwsCredentials = new AwsKeyPair(keyId, new string('s', 40)),
        GraphBaseUrl = new Uri("http://graph.test/v1.0/"),
        LoginBaseUrl = new Uri("http://login.test/"),
        TenantId = "t",
        ClientId = "c",
        ClientSecret = "secret-one",
    };

    [Fact]
    public async Task One_client_signs_each_request_for_its_own_endpoint_and_credentials()
    {
        var transport = new Recorder(_ => Ok("ListRoles"));
        var provider = new SwitchingEndpoints(Endpoints("http://iam-one.test/", "AKIAFIRSTFIRSTFIRST1"));
        var client = new AwsQueryClient(AwsHttpClients.Over(transport), provider, e => e.IamEndpoint, "iam", "2010-05-08", new AwsRetryPolicy(TimeProvider.System), NullLogger.Instance, "us-east-1");

        await client.InvokeAsync("ListRoles", [], TestContext.Current.CancellationToken);
        provider.Current = Endpoints("http://iam-two.test/", "AKIASECONDSECONDSEC2");
        await client.InvokeAsync("ListRoles", [], TestContext.Current.CancellationToken);

        Assert.Equal(["iam-one.test", "iam-two.test"], transport.Requests.Select(r => r.Host));
        Assert.Contains("Credential=AKIAFIRSTFIRSTFIRST1/", transport.Requests[0].Authorization);
        Assert.Contains("Credential=AKIASECONDSECONDSEC2/", transport.Requests[1].Authorization);
        Assert.All(transport.Requests, r => Assert.Contains("/us-east-1/iam/aws4_request", r.Authorization));
    }

    [Fact]
    public async Task A_redirect_is_refused_after_one_request_naming_where_it_pointed()
    {
        var transport = new Recorder(request => new HttpResponseMessage(HttpStatusCode.Found)
        {
            Headers = { Location = new Uri("/account/signin?ReturnUrl=" + Uri.EscapeDataString(request.RequestUri!.PathAndQuery), UriKind.Relative) },
        });
        var client = new AwsQueryClient(AwsHttpClients.Over(transport), new SwitchingEndpoints(Endpoints("http://iam.test/sandbox/aws/iam", "AKIAFIRSTFIRSTFIRST1")), e => e.IamEndpoint,
            "iam", "2010-05-08", new AwsRetryPolicy(TimeProvider.System) { BaseDelay = TimeSpan.FromMilliseconds(1) }, NullLogger.Instance, "us-east-1");

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => client.InvokeAsync("CreateRole", [], TestContext.Current.CancellationToken));

        Assert.Equal("UnexpectedRedirect", refused.Code);
        Assert.Contains("/account/signin?ReturnUrl=", refused.Message);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public void The_registered_transport_never_follows_redirects()
    {
        var services = new ServiceCollection().AddLogging().AddClouds().BuildServiceProvider();
        var factory = services.GetRequiredService<IHttpMessageHandlerFactory>();

        foreach (var name in new[] { "aws-iam", "aws-cloudtrail", "aws-sts", GraphServiceClientFactory.TokenClientName })
        {
            Assert.False(Primary(factory.CreateHandler(name)).AllowAutoRedirect, name);
        }
    }

    [Fact]
    public async Task Graph_refuses_a_redirect_after_one_request_and_both_connectors_share_one_client_per_identity()
    {
        var transport = new Recorder(_ => new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("http://graph.test/account/signin") } });
        var factory = new GraphServiceClientFactory(new NoTokens(), TimeProvider.System) { FinalHandler = () => transport };
        var endpoints = Endpoints("http://iam.test/", "AKIAFIRSTFIRSTFIRST1") with { IsSandbox = true };

        Assert.Same(factory.For(endpoints), factory.For(endpoints with { }));
        Assert.NotSame(factory.For(endpoints), factory.For(endpoints with { ClientSecret = "secret-two" }));

        var graph = factory.For(endpoints with { ClientSecret = "secret-three" });
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => graph.Users.GetAsync(cancellationToken: TestContext.Current.CancellationToken));
        var redirect = Assert.IsType<EntraServiceException>(refused is EntraServiceException ? refused : refused.InnerException);
        Assert.Equal("UnexpectedRedirect", redirect.Code);
        Assert.Contains("http://graph.test/account/signin", redirect.Message);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task The_registered_pipeline_signs_and_retries_as_Portal_Aws_Retry_says()
    {
        var transport = new Recorder(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new StringContent($"<ErrorResponse xmlns=\"{Ns}\"><Error><Code>ServiceUnavailable</Code><Message>m</Message></Error></ErrorResponse>", Encoding.UTF8, "text/xml"),
        });
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:Aws:Retry:MaxAttempts"] = "2",
            ["Portal:Aws:Retry:BaseDelay"] = "00:00:00.001",
        });
        builder.Services.AddLogging().AddClouds();
        builder.Services.AddSingleton<ICloudEndpointsProvider>(new SwitchingEndpoints(Endpoints("http://iam.test/", "AKIAFIRSTFIRSTFIRST1")));
        builder.Services.AddHttpClient("aws-iam").ConfigurePrimaryHttpMessageHandler(() => transport);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<AwsServiceException>(() => host.Services.GetRequiredService<IAwsIam>().ListRolesAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("ServiceUnavailable", failure.Code);
        Assert.Equal(2, transport.Requests.Count);
        Assert.All(transport.Requests, r => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIAFIRSTFIRSTFIRST1/", r.Authorization));
    }

    [Fact]
    public async Task A_retry_setting_out_of_range_stops_the_host_naming_the_key()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:Aws:Retry:MaxAttempts"] = "0" });
        builder.Services.AddLogging().AddClouds();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Portal:Aws:Retry:MaxAttempts must be between 1 and 20.", failure.Message);
    }

    private static SocketsHttpHandler Primary(HttpMessageHandler handler)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return Assert.IsType<SocketsHttpHandler>(handler);
    }

    private static HttpResponseMessage Ok(string action)
        => new(HttpStatusCode.OK) { Content = new StringContent($"<{action}Response xmlns=\"{Ns}\"><{action}Result><IsTruncated>false</IsTruncated></{action}Result></{action}Response>", Encoding.UTF8, "text/xml") };

    private sealed record Seen(string Host, string Authorization);

    private sealed class Recorder(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Seen> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(new Seen(request.RequestUri!.Host, request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : string.Empty));
            }

            return Task.FromResult(answer(request));
        }
    }

    private sealed class SwitchingEndpoints(CloudEndpoints first) : ICloudEndpointsProvider
    {
        public CloudEndpoints Current { get; set; } = first;

        public CloudEndpoints GetEndpoints() => Current;
    }

    /// <summary>A token endpoint that hands out a fixed token, so that Graph calls reach the transport.</summary>
    private sealed class NoTokens : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new TokenHandler());

        private sealed class TokenHandler : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"token_type":"Bearer","expires_in":3600,"access_token":"t"}""", Encoding.UTF8, "application/json"),
                });
        }
    }
}
