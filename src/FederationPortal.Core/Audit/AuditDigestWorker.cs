using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederationPortal.Core.Audit;

/// <summary>Makes a signed digest every <see cref="AuditOptions.DigestInterval"/> when events were added since the last one.</summary>
public sealed class AuditDigestWorker(IServiceProvider services, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditDigestWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DigestInterval, clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                // Resolved at the first tick, not at start: the stores it needs belong to other projects.
                var digests = services.GetRequiredService<AuditDigestService>();
                if (await digests.CreateDigestAsync(stoppingToken) is { } digest)
                {
                    logger.LogInformation("Audit digest {Number} signed events {First}–{Last}", digest.Number, digest.FirstSequence, digest.LastSequence);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Already audited as a failed audit.digest; the next tick tries again.
                logger.LogError(ex, "The audit digest could not be made");
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
