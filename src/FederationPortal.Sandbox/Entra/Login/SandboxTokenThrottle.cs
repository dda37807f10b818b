using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Login;

/// <summary>
/// Entra throttles a client that asks for client-credentials tokens too often (it should cache them): 429 Too Many
/// Requests with <c>Retry-After: 60</c>. The emulated token endpoint does the same past
/// <see cref="SandboxEntraOptions.TokenRequestsPerMinute"/> requests of one client in a minute.
/// </summary>
public sealed class SandboxTokenThrottle(IOptions<SandboxEntraOptions> options) : IDisposable
{
    /// <summary>What Entra sends with its 429 for client credentials.</summary>
    public const int RetryAfterSeconds = 60;

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(clientId =>
        RateLimitPartition.GetFixedWindowLimiter(clientId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.TokenRequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Counts one token request of <paramref name="clientId"/>; false when it is over the limit.</summary>
    public bool TryAcquire(string clientId)
    {
        using var lease = limiter.AttemptAcquire(clientId);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
