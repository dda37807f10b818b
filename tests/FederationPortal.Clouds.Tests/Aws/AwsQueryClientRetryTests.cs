using System.Net;
using System.Text;
using FederationPortal.Clouds.Aws;
using FederationPortal.Core.Aws;
using Microsoft.Extensions.Logging.Abstractions;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Tests.Aws;

/// <summary>The Query client's retry rules, against a scripted transport.</summary>
public sealed class AwsQueryClientRetryTests
{
    private const string Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    private static HttpResponseMessage Error(HttpStatusCode status, string code)
        => new(status) { Content = new StringContent($"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>", Encoding.UTF8, "text/xml") };

    private static HttpResponseMessage Ok(string action)
        => new(HttpStatusCode.OK) { Content = new StringContent($"<{action}Response xmlns=\"{Ns}\"><{action}Result><IsTruncated>false</IsTruncated></{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>", Encoding.UTF8, "text/xml") };

    private static (AwsQueryClient Client, ScriptedHandler Handler) Create(params Func<HttpResponseMessage>[] script)
    {
        var handler = new ScriptedHandler(script);
        var endpoints = new FixedEndpoints(new CloudEndpoints
        {
            IamEndpoint = new Uri("http://iam.test/"),
            StsEndpoint = new Uri("http://sts.test/"),
            AwsCredentials = new AwsKeyPair("AKIATESTTESTTESTTEST", new string('s', 40)),
            GraphBaseUrl = new Uri("http://graph.test/"),
            LoginBaseUrl = new Uri("http://login.test/"),
            TenantId = "t",
            ClientId = "c",
        });
        var retry = new AwsRetryPolicy(TimeProvider.System) { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
        return (new AwsQueryClient(AwsHttpClients.Over(handler), endpoints, e => e.IamEndpoint, "iam", "2010-05-08", retry, NullLogger.Instance, "us-east-1"), handler);
    }

    [Fact]
    public async Task Throttling_and_5xx_are_retried_and_every_attempt_is_signed()
    {
        var (client, handler) = Create(() => Error(HttpStatusCode.BadRequest, "Throttling"), () => Error(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable"), () => Ok("ListRoles"));
        {
            await client.InvokeAsync("ListRoles", [], TestContext.Current.CancellationToken);
        }

        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIATESTTESTTESTTEST/", r, StringComparison.Ordinal));
        Assert.All(handler.Requests, r => Assert.Contains("/us-east-1/iam/aws4_request", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_surface_with_their_code()
    {
        var (client, handler) = Create(() => Error(HttpStatusCode.Conflict, "EntityAlreadyExists"), () => Ok("CreateRole"));
        {
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.InvokeAsync("CreateRole", [], TestContext.Current.CancellationToken));
            Assert.Equal("EntityAlreadyExists", error.Code);
            Assert.Equal(HttpStatusCode.Conflict, error.HttpStatus);
        }

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Non_idempotent_calls_retry_throttling_but_not_server_errors()
    {
        var (client, handler) = Create(() => Error(HttpStatusCode.BadRequest, "Throttling"), () => Error(HttpStatusCode.InternalServerError, "ServiceFailure"), () => Ok("CreateAccessKey"));
        {
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.InvokeAsync("CreateAccessKey", [], TestContext.Current.CancellationToken, AwsRetryMode.ThrottlingOnly));
            Assert.Equal("ServiceFailure", error.Code);
        }

        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Retries_stop_after_the_maximum_attempts()
    {
        var (client, handler) = Create(Enumerable.Repeat<Func<HttpResponseMessage>>(() => Error(HttpStatusCode.BadRequest, "Throttling"), 10).ToArray());
        {
            Assert.Equal("Throttling", (await Assert.ThrowsAsync<AwsServiceException>(() => client.InvokeAsync("ListRoles", [], TestContext.Current.CancellationToken))).Code);
        }

        Assert.Equal(5, handler.Requests.Count);
    }

    private sealed class FixedEndpoints(CloudEndpoints endpoints) : ICloudEndpointsProvider
    {
        public CloudEndpoints GetEndpoints() => endpoints;
    }

    private sealed class ScriptedHandler(Func<HttpResponseMessage>[] script) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : "");
            return Task.FromResult(script[Requests.Count - 1]());
        }
    }
}
