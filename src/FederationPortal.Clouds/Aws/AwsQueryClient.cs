using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Clouds;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// One AWS Query-protocol service (IAM): form-encoded POSTs through the <see cref="AwsHttpClients.Iam"/> client, which
/// signs each with SigV4 for the credentials and region this client puts on the request; XML results, AWS errors as
/// <see cref="AwsServiceException"/>, retries with backoff and jitter (<see cref="AwsRetryPolicy"/>). The endpoint and
/// credentials are read from <see cref="ICloudEndpointsProvider"/> at every call: nothing is kept per endpoint.
/// </summary>
internal sealed class AwsQueryClient
{
    private readonly Func<HttpClient> http;
    private readonly ICloudEndpointsProvider endpointsProvider;
    private readonly Func<CloudEndpoints, Uri> endpointOf;
    private readonly string service;
    private readonly string version;
    private readonly string? signingRegion;
    private readonly AwsRetryPolicy retry;
    private readonly ILogger logger;

    public AwsQueryClient(
        Func<HttpClient> http,
        ICloudEndpointsProvider endpointsProvider,
        Func<CloudEndpoints, Uri> endpointOf,
        string service,
        string version,
        AwsRetryPolicy retry,
        ILogger logger,
        string? signingRegion = null)
    {
        this.http = http;
        this.signingRegion = signingRegion;
        this.endpointsProvider = endpointsProvider;
        this.endpointOf = endpointOf;
        this.service = service;
        this.version = version;
        this.retry = retry;
        this.logger = logger;
        Namespace = $"https://{service}.amazonaws.com/doc/{version}/";
    }

    /// <summary>The service's XML namespace, e.g. <c>https://iam.amazonaws.com/doc/2010-05-08/</c>.</summary>
    public XNamespace Namespace { get; }

    /// <summary>
    /// Calls <paramref name="action"/> and returns its <c>…Result</c> element (empty when the action has none).
    /// <paramref name="recoverAfterLostResponse"/> is consulted when an error meets a call that was retried after an
    /// ambiguous failure (5xx, timeout): it may return the result the lost response would have carried, or null to rethrow.
    /// </summary>
    public async Task<XElement> InvokeAsync(
        string action,
        IEnumerable<KeyValuePair<string, string?>> parameters,
        CancellationToken cancellationToken,
        AwsRetryMode mode = AwsRetryMode.Always,
        Func<AwsServiceException, Task<XElement?>>? recoverAfterLostResponse = null)
    {
        var body = FormBody(action, parameters);
        var ambiguous = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(action, body, cancellationToken);
            }
            catch (AwsServiceException error) when (ambiguous && recoverAfterLostResponse is not null && !error.IsTransient)
            {
                if (await recoverAfterLostResponse(error) is { } recovered)
                {
                    logger.LogInformation("AWS {Action} met {Code} after a lost response; the entity matches, so the call succeeded", action, error.Code);
                    return recovered;
                }

                throw;
            }
            catch (AwsServiceException error) when (error.IsTransient && attempt < retry.MaxAttempts
                                                    && (mode == AwsRetryMode.Always || AwsRetryPolicy.IsThrottling(error)))
            {
                ambiguous |= !AwsRetryPolicy.IsThrottling(error);
                logger.LogWarning("AWS {Action} attempt {Attempt} failed with {Code}; retrying", action, attempt, error.Code);
            }
            catch (Exception error) when (error is HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested
                                          && attempt < retry.MaxAttempts && mode == AwsRetryMode.Always)
            {
                ambiguous = true;
                logger.LogWarning("AWS {Action} attempt {Attempt} failed ({Error}); retrying", action, attempt, error.GetType().Name);
            }

            await retry.DelayAsync(attempt, cancellationToken);
        }
    }

    private async Task<XElement> SendOnceAsync(string action, string body, CancellationToken cancellationToken)
    {
        var endpoints = endpointsProvider.GetEndpoints();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpointOf(endpoints))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Options.Set(AwsSigV4Handler.Signing, new AwsSigning(AwsCredentialsFactory.Cached(endpoints), signingRegion ?? endpoints.AwsRegion, service));
        var (response, text) = await retry.SendOnceAsync(http(), request, action, cancellationToken);
        AwsRetryPolicy.RefuseRedirect(response, $"AWS {action}");

        using (response)
        {
            XDocument document;
            try
            {
                document = XDocument.Parse(text);
            }
            catch (XmlException)
            {
                throw new AwsServiceException(response.IsSuccessStatusCode ? "MalformedResponse" : $"Http{(int)response.StatusCode}",
                    $"AWS {action} answered {(int)response.StatusCode} with a body that is not XML.", response.StatusCode);
            }

            var root = document.Root!;
            if (!response.IsSuccessStatusCode || root.Name.LocalName == "ErrorResponse")
            {
                var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? $"Http{(int)response.StatusCode}";
                var message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
                var requestId = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;
                throw new AwsServiceException(code, message, response.IsSuccessStatusCode ? HttpStatusCode.BadRequest : response.StatusCode, requestId);
            }

            return root.Element(Namespace + (action + "Result")) ?? new XElement(Namespace + (action + "Result"));
        }
    }

    /// <summary><c>Action=…&amp;Version=…</c> then the parameters in the given order, RFC 3986-encoded, nulls left out.</summary>
    private string FormBody(string action, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var pairs = new List<string> { $"Action={Uri.EscapeDataString(action)}", $"Version={Uri.EscapeDataString(version)}" };
        pairs.AddRange(parameters.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
        return string.Join('&', pairs);
    }
}
