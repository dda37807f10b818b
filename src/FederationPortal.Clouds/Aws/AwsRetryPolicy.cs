using FederationPortal.Core.Aws;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// Exponential backoff with full jitter (as the AWS SDKs' standard mode): attempt n waits a random time in
/// [0, min(cap, base·2ⁿ)]. Throttling, 5xx and timeouts are retried; <see cref="AwsRetryMode.ThrottlingOnly"/> calls
/// (non-idempotent creates whose lost response cannot be recovered) only on throttling, which AWS answers before acting.
/// </summary>
internal sealed class AwsRetryPolicy(TimeProvider timeProvider)
{
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one attempt may take before it counts as a timeout.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>One attempt: sends the request and reads the whole answer within <see cref="AttemptTimeout"/>.</summary>
    public async Task<(HttpResponseMessage Response, string Text)> SendOnceAsync(HttpClient client, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            var response = await client.SendAsync(request, timeout.Token);
            return (response, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"AWS {what} did not answer within {AttemptTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>
    /// AWS never redirects an API call: a 3xx means the endpoint is something else (a proxy, a web server). Refused
    /// after one request, naming where it pointed, instead of being followed or retried.
    /// </summary>
    public static void RefuseRedirect(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location?.ToString() ?? "(no Location)";
            response.Dispose();
            throw new AwsServiceException("UnexpectedRedirect",
                $"{what} answered {status} redirecting to {location}; AWS does not redirect API calls, so the endpoint is probably wrong.",
                (System.Net.HttpStatusCode)status);
        }
    }

    public static bool IsThrottling(AwsServiceException error) => error.Code is "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequestsException";

    public Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), timeProvider, cancellationToken);
    }
}

internal enum AwsRetryMode
{
    /// <summary>Retry throttling, 5xx and timeouts.</summary>
    Always,
    /// <summary>Retry only throttling.</summary>
    ThrottlingOnly,
}
