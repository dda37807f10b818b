using System.Globalization;
using System.Threading.RateLimiting;
using FederationPortal.Core.Audit;
using Microsoft.Extensions.Options;

namespace FederationPortal.Web.Security;

/// <summary>
/// Fixed-window limits per client address: sign-in attempts through ASP.NET Core's rate limiter (the
/// <see cref="SignIn"/> policy), failed API-token authentications through the same partitioned limiter here (only
/// failures count, so a valid token is never refused). A refusal is a 429 with <c>Retry-After</c>; the first refusal of
/// each window for an address is audited, the rest are not (a flood must not flood the audit trail).
/// </summary>
public sealed class AttemptThrottle : IDisposable
{
    public const string SignIn = "sign-in";
    public const string TokenFailure = "api-token";

    private readonly PartitionedRateLimiter<string> tokenFailures;
    private readonly Dictionary<(string Kind, string Address), DateTimeOffset> auditedUntil = [];
    private readonly TimeProvider clock;

    public AttemptThrottle(IOptions<RateLimitOptions> options, TimeProvider clock)
    {
        this.clock = clock;
        tokenFailures = PartitionedRateLimiter.Create<string, string>(address => Partition(address, options.Value.TokenFailures, options.Value.Window));
    }

    /// <summary>One fixed window of <paramref name="permits"/> for <paramref name="address"/>, nothing queued.</summary>
    public static RateLimitPartition<string> Partition(string address, int permits, TimeSpan window)
        => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>Counts one failed API-token authentication from <paramref name="address"/>; null while under the limit, else how long to wait.</summary>
    public TimeSpan? CountTokenFailure(string address)
    {
        using var lease = tokenFailures.AttemptAcquire(address);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
    }

    /// <summary>Answers 429 with Retry-After and a sentence, and audits the refusal when it is the first of its window for the address.</summary>
    public async Task RefuseAsync(HttpContext context, string kind, TimeSpan retryAfter, IAuditTrail audit)
    {
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        var message = kind == SignIn
            ? $"Too many sign-in attempts from this address. Try again in {seconds} seconds."
            : $"Too many failed API-token authentications from this address. Try again in {seconds} seconds; a valid token still works.";
        await AuditOncePerWindowAsync(context, kind, retryAfter, message, audit);

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(title: "Too many requests.", detail: message, statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
        }
        else
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message);
        }
    }

    private async Task AuditOncePerWindowAsync(HttpContext context, string kind, TimeSpan retryAfter, string message, IAuditTrail audit)
    {
        var address = AddressOf(context);
        var now = clock.GetUtcNow();
        var key = (kind, address);
        lock (auditedUntil)
        {
            if (auditedUntil.TryGetValue(key, out var audited) && audited > now)
            {
                return;
            }

            auditedUntil[key] = now + retryAfter;
        }

        await audit.RecordAsync(new AuditEntry
        {
            ActorId = $"address:{address}",
            ActorName = $"Client {address}",
            Action = "auth.throttled",
            Outcome = AuditOutcome.Denied,
            TargetType = "Endpoint",
            TargetId = $"{context.Request.Method} {context.Request.Path}",
            ErrorMessage = message + " Further refusals in this window are not audited.",
            Details = new { kind, retryAfterSeconds = (int)Math.Ceiling(retryAfter.TotalSeconds) },
        }, CancellationToken.None);
    }

    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public void Dispose() => tokenFailures.Dispose();
}
