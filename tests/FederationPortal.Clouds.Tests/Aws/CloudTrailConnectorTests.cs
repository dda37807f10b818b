using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Clouds.Aws;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Monitoring;
using Microsoft.Extensions.Logging.Abstractions;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Tests.Aws;

/// <summary>The CloudTrail connector on the wire (JSON 1.1, SigV4 service <c>cloudtrail</c>), against a transport answering as CloudTrail does.</summary>
public sealed class CloudTrailConnectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static (AwsCloudTrailConnector Connector, RecordingHandler Handler) Create(params Func<RecordedRequest, HttpResponseMessage>[] script)
    {
        var handler = new RecordingHandler(script);
        var endpoints = new FixedEndpoints(new CloudEndpoints
        {
            IamEndpoint = new Uri("http://iam.test/"),
            StsEndpoint = new Uri("http://sts.test/"),
            CloudTrailEndpoint = new Uri("http://cloudtrail.test/"),
            AwsRegion = "eu-west-1",
            AwsCredentials = new AwsKeyPair("AKIATESTTESTTESTTEST", new string('s', 40)),
            GraphBaseUrl = new Uri("http://graph.test/"),
            LoginBaseUrl = new Uri("http://login.test/"),
            TenantId = "t",
            ClientId = "c",
        });
        var retry = new AwsRetryPolicy(TimeProvider.System) { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
        var client = new AwsJsonClient(AwsHttpClients.Over(handler), endpoints, e => e.CloudTrailEndpoint!, "cloudtrail", AwsCloudTrailConnector.TargetPrefix, retry, NullLogger.Instance);
        return (new AwsCloudTrailConnector(client), handler);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body)
        => new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, AwsJsonClient.ContentType) };

    private static JsonObject Event(string id, double epochSeconds, string user) => new()
    {
        ["EventId"] = id,
        ["EventName"] = "AssumeRoleWithSAML",
        ["ReadOnly"] = "true",
        ["EventTime"] = epochSeconds,
        ["EventSource"] = "sts.amazonaws.com",
        ["Username"] = user,
        ["Resources"] = new JsonArray(
            new JsonObject { ["ResourceType"] = "AWS::IAM::Role", ["ResourceName"] = "arn:aws:iam::111122223333:role/Admin" },
            new JsonObject { ["ResourceType"] = "AWS::IAM::SAMLProvider", ["ResourceName"] = "arn:aws:iam::111122223333:saml-provider/EntraID" }),
        ["CloudTrailEvent"] = new JsonObject { ["eventID"] = id, ["userIdentity"] = new JsonObject { ["type"] = "SAMLUser", ["userName"] = user } }.ToJsonString(),
    };

    private static HttpResponseMessage Page(string? nextToken, params JsonObject[] events)
    {
        var body = new JsonObject { ["Events"] = new JsonArray(events.Cast<JsonNode?>().ToArray()) };
        if (nextToken is not null)
        {
            body["NextToken"] = nextToken;
        }

        return Json(HttpStatusCode.OK, body);
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string type, string message)
        => Json(status, new JsonObject { ["__type"] = type, ["message"] = message });

    [Fact]
    public async Task LookupEvents_is_a_signed_JSON_1_1_POST_with_the_CloudTrail_target()
    {
        var (connector, handler) = Create(_ => Page(null));
        {
            await connector.LookupEventsAsync(new CloudTrailLookupQuery(Start, End, "EventName", "AssumeRoleWithSAML"), TestContext.Current.CancellationToken);
        }

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://cloudtrail.test/"), request.Uri);
        Assert.Equal("application/x-amz-json-1.1", request.ContentType);
        Assert.Equal("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", request.Header("X-Amz-Target"));
        var authorization = request.Header("Authorization")!;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIATESTTESTTESTTEST/", authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/cloudtrail/aws4_request", authorization, StringComparison.Ordinal);
        Assert.NotNull(request.Header("X-Amz-Date"));

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        var attribute = Assert.Single(root.GetProperty("LookupAttributes").EnumerateArray().ToList());
        Assert.Equal("EventName", attribute.GetProperty("AttributeKey").GetString());
        Assert.Equal("AssumeRoleWithSAML", attribute.GetProperty("AttributeValue").GetString());
        Assert.Equal(Start.ToUnixTimeSeconds(), root.GetProperty("StartTime").GetInt64());
        Assert.Equal(End.ToUnixTimeSeconds(), root.GetProperty("EndTime").GetInt64());
        Assert.Equal(50, root.GetProperty("MaxResults").GetInt32());
        Assert.False(root.TryGetProperty("NextToken", out _));
    }

    [Fact]
    public async Task Events_are_mapped_from_CloudTrails_shape()
    {
        var (connector, _) = Create(_ => Page("next-1", Event("e-1", 1764234000.5, "alice@contoso.com")));
        CloudTrailPage page;
        {
            page = await connector.LookupEventsAsync(new CloudTrailLookupQuery(), TestContext.Current.CancellationToken);
        }

        Assert.Equal("next-1", page.NextToken);
        var record = Assert.Single(page.Events);
        Assert.Equal("e-1", record.EventId);
        Assert.Equal("AssumeRoleWithSAML", record.EventName);
        Assert.Equal("sts.amazonaws.com", record.EventSource);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764234000500), record.EventTime);
        Assert.Equal("alice@contoso.com", record.Username);
        Assert.True(record.ReadOnly);
        Assert.Equal(["AWS::IAM::Role", "AWS::IAM::SAMLProvider"], record.Resources.Select(r => r.ResourceType));
        Assert.Equal("alice@contoso.com", JsonNode.Parse(record.CloudTrailEventJson)!["userIdentity"]!["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Paging_follows_NextToken_with_the_same_lookup_until_the_last_page()
    {
        var (connector, handler) = Create(
            _ => Page("token-1", Event("e-1", 1764234000, "a@contoso.com"), Event("e-2", 1764233990, "b@contoso.com")),
            _ => Page("token-2", Event("e-3", 1764233980, "c@contoso.com")),
            _ => Page(null, Event("e-4", 1764233970, "d@contoso.com")));
        IReadOnlyList<CloudTrailEventRecord> all;
        {
            all = await connector.LookupAllEventsAsync(new CloudTrailLookupQuery(Start, End, "EventName", "AssumeRoleWithSAML"), 100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(["e-1", "e-2", "e-3", "e-4"], all.Select(e => e.EventId));
        Assert.Equal(3, handler.Requests.Count);
        var tokens = handler.Requests.Select(r => JsonNode.Parse(r.Body)!["NextToken"]?.GetValue<string>()).ToList();
        Assert.Equal([null, "token-1", "token-2"], tokens);
        Assert.All(handler.Requests, r => Assert.Equal("AssumeRoleWithSAML", JsonNode.Parse(r.Body)!["LookupAttributes"]![0]!["AttributeValue"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Paging_stops_at_the_maximum_asking_only_for_what_is_left()
    {
        var (connector, handler) = Create(
            _ => Page("token-1", Event("e-1", 1764234000, "a@contoso.com"), Event("e-2", 1764233990, "b@contoso.com")),
            _ => Page("token-2", Event("e-3", 1764233980, "c@contoso.com")));
        IReadOnlyList<CloudTrailEventRecord> all;
        {
            all = await connector.LookupAllEventsAsync(new CloudTrailLookupQuery(MaxResults: 2), 3, TestContext.Current.CancellationToken);
        }

        Assert.Equal(3, all.Count);
        Assert.Equal([2, 1], handler.Requests.Select(r => JsonNode.Parse(r.Body)!["MaxResults"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Errors_carry_the_code_without_its_namespace_and_are_not_retried()
    {
        var (connector, handler) = Create(
            _ => Error(HttpStatusCode.BadRequest, "com.amazonaws.cloudtrail.v20131101#InvalidTimeRangeException", "Start time must be before end time."),
            _ => Page(null));
        {
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => connector.LookupEventsAsync(new CloudTrailLookupQuery(End, Start), TestContext.Current.CancellationToken));
            Assert.Equal("InvalidTimeRangeException", error.Code);
            Assert.Equal("Start time must be before end time.", error.AwsMessage);
            Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
            Assert.Equal("req-1", error.RequestId);
        }

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task The_error_type_header_names_the_code_when_the_body_does_not()
    {
        var (connector, _) = Create(_ =>
        {
            var response = Json(HttpStatusCode.BadRequest, new JsonObject { ["Message"] = "User: arn:aws:iam::1:user/x is not authorized to perform: cloudtrail:LookupEvents" });
            response.Headers.Add("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/");
            return response;
        });
        {
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => connector.LookupEventsAsync(new CloudTrailLookupQuery(), TestContext.Current.CancellationToken));
            Assert.Equal("AccessDeniedException", error.Code);
            Assert.Contains("cloudtrail:LookupEvents", error.AwsMessage);
        }
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_and_every_attempt_is_signed()
    {
        var (connector, handler) = Create(
            _ => Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded"),
            _ => Error(HttpStatusCode.InternalServerError, "com.amazonaws.cloudtrail.v20131101#InternalServerException", "Internal error"),
            _ => Page(null, Event("e-1", 1764234000, "a@contoso.com")));
        CloudTrailPage page;
        {
            page = await connector.LookupEventsAsync(new CloudTrailLookupQuery(), TestContext.Current.CancellationToken);
        }

        Assert.Single(page.Events);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Contains("/eu-west-1/cloudtrail/aws4_request", r.Header("Authorization"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttling_that_persists_surfaces_after_the_maximum_attempts()
    {
        var (connector, handler) = Create(Enumerable.Repeat<Func<RecordedRequest, HttpResponseMessage>>(_ => Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded"), 10).ToArray());
        {
            Assert.Equal("ThrottlingException", (await Assert.ThrowsAsync<AwsServiceException>(() => connector.LookupEventsAsync(new CloudTrailLookupQuery(), TestContext.Current.CancellationToken))).Code);
        }

        Assert.Equal(5, handler.Requests.Count);
    }

    [Theory]
    [InlineData("com.amazonaws.cloudtrail.v20131101#InvalidNextTokenException", "InvalidNextTokenException")]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/", "ThrottlingException")]
    [InlineData("UnrecognizedClientException", "UnrecognizedClientException")]
    [InlineData("", null)]
    public void Error_types_are_reduced_to_their_code(string type, string? code) => Assert.Equal(code, AwsJsonClient.ErrorCode(type));

    [Theory]
    [InlineData("https://cloudtrail.us-east-1.amazonaws.com/", "us-east-1")]
    [InlineData("https://cloudtrail.cn-north-1.amazonaws.com.cn/", "cn-north-1")]
    [InlineData("http://localhost:5080/sandbox/aws/cloudtrail", null)]
    [InlineData("https://iam.amazonaws.com/", null)]
    public void A_regional_endpoint_names_its_signing_region(string endpoint, string? region)
        => Assert.Equal(region, AwsJsonClient.RegionOf(new Uri(endpoint), "cloudtrail"));

    private sealed class FixedEndpoints(CloudEndpoints endpoints) : ICloudEndpointsProvider
    {
        public CloudEndpoints GetEndpoints() => endpoints;
    }
}

/// <summary>A request as it left the client: after signing, with its body read.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Answers each request with the next step of its script and records what it received.</summary>
internal sealed class RecordingHandler(Func<RecordedRequest, HttpResponseMessage>[] script) : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, request.Content?.Headers.ContentType?.ToString(), headers, body);
        Requests.Add(recorded);
        var response = script[Math.Min(Requests.Count, script.Length) - 1](recorded);
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", $"req-{Requests.Count}");
        return response;
    }
}
