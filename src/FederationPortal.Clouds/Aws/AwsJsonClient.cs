using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Clouds;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// One AWS JSON 1.1 service (CloudTrail): a POST of the request object with
/// <c>Content-Type: application/x-amz-json-1.1</c> and <c>X-Amz-Target: {prefix}.{operation}</c> through the
/// <see cref="AwsHttpClients.CloudTrail"/> client, which signs it with SigV4 for the credentials and region this client
/// puts on the request; errors (<c>__type</c>, without its <c>namespace#</c> prefix) as <see cref="AwsServiceException"/>;
/// throttling, 5xx and timeouts retried with <see cref="AwsRetryPolicy"/>. Only read operations go through it, so every
/// failure worth retrying is retried. The endpoint and credentials are read at every call, as
/// <see cref="AwsQueryClient"/> does.
/// </summary>
internal sealed class AwsJsonClient
{
    public const string ContentType = "application/x-amz-json-1.1";

    private readonly Func<HttpClient> http;
    private readonly ICloudEndpointsProvider endpointsProvider;
    private readonly Func<CloudEndpoints, Uri> endpointOf;
    private readonly string service;
    private readonly string targetPrefix;
    private readonly AwsRetryPolicy retry;
    private readonly ILogger logger;
    private readonly Func<CloudEndpoints, string> signingRegionOf;

    public AwsJsonClient(
        Func<HttpClient> http,
        ICloudEndpointsProvider endpointsProvider,
        Func<CloudEndpoints, Uri> endpointOf,
        string service,
        string targetPrefix,
        AwsRetryPolicy retry,
        ILogger logger,
        Func<CloudEndpoints, string>? signingRegionOf = null)
    {
        this.http = http;
        this.signingRegionOf = signingRegionOf ?? (endpoints => endpoints.AwsRegion);
        this.endpointsProvider = endpointsProvider;
        this.endpointOf = endpointOf;
        this.service = service;
        this.targetPrefix = targetPrefix;
        this.retry = retry;
        this.logger = logger;
    }

    /// <summary>Calls <paramref name="operation"/> with <paramref name="request"/> and returns the response object.</summary>
    public async Task<JsonElement> InvokeAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var body = request.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(operation, body, cancellationToken);
            }
            catch (AwsServiceException error) when (error.IsTransient && attempt < retry.MaxAttempts)
            {
                logger.LogWarning("AWS {Service} {Operation} attempt {Attempt} failed with {Code}; retrying", service, operation, attempt, error.Code);
            }
            catch (Exception error) when (error is HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested && attempt < retry.MaxAttempts)
            {
                logger.LogWarning("AWS {Service} {Operation} attempt {Attempt} failed ({Error}); retrying", service, operation, attempt, error.GetType().Name);
            }

            await retry.DelayAsync(attempt, cancellationToken);
        }
    }

    private async Task<JsonElement> SendOnceAsync(string operation, string body, CancellationToken cancellationToken)
    {
        var endpoints = endpointsProvider.GetEndpoints();
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpointOf(endpoints)) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{targetPrefix}.{operation}");
        request.Options.Set(AwsSigV4Handler.Signing, new AwsSigning(AwsCredentialsFactory.Cached(endpoints), signingRegionOf(endpoints), service));
        var (response, text) = await retry.SendOnceAsync(http(), request, $"{service} {operation}", cancellationToken);
        AwsRetryPolicy.RefuseRedirect(response, $"AWS {service} {operation}");

        using (response)
        {
            var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new AwsServiceException(response.IsSuccessStatusCode ? "MalformedResponse" : $"Http{(int)response.StatusCode}",
                    $"AWS {service} {operation} answered {(int)response.StatusCode} with a body that is not JSON.", response.StatusCode, requestId);
            }

            if (response.IsSuccessStatusCode && root.ValueKind == JsonValueKind.Object)
            {
                return root;
            }

            var type = String(root, "__type") ?? (response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.FirstOrDefault() : null);
            var code = ErrorCode(type) ?? $"Http{(int)response.StatusCode}";
            var message = String(root, "message") ?? String(root, "Message") ?? "";
            throw new AwsServiceException(code, message, response.IsSuccessStatusCode ? HttpStatusCode.BadRequest : response.StatusCode, requestId);
        }
    }

    /// <summary>
    /// The error code of a JSON-protocol <c>__type</c> or <c>x-amzn-ErrorType</c>:
    /// <c>com.amazonaws.cloudtrail.v20131101#InvalidTimeRangeException</c> → <c>InvalidTimeRangeException</c>,
    /// <c>ThrottlingException:http://internal.amazon.com/coral/…</c> → <c>ThrottlingException</c>.
    /// </summary>
    internal static string? ErrorCode(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var code = type[(type.LastIndexOf('#') + 1)..];
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return (colon >= 0 ? code[..colon] : code).Trim() is { Length: > 0 } trimmed ? trimmed : null;
    }

    /// <summary>The region of a regional endpoint (<c>https://cloudtrail.us-east-1.amazonaws.com/</c> → <c>us-east-1</c>); null for any other host.</summary>
    internal static string? RegionOf(Uri endpoint, string service)
    {
        var labels = endpoint.Host.Split('.');
        return labels.Length >= 4 && labels[0] == service && labels[2] == "amazonaws" ? labels[1] : null;
    }

    private static string? String(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
