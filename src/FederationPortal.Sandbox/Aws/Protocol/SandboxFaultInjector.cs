using System.Net;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>
/// Configured misbehaviour of the emulated AWS (<c>Sandbox:Faults</c>): added latency, and a seeded share of calls
/// answered with <c>Throttling</c> or a 500/503 before they are processed (so a retry is always safe).
/// </summary>
internal sealed class SandboxFaultInjector(IOptions<SandboxOptions> options, TimeProvider timeProvider)
{
    private readonly Random random = new(options.Value.Faults.Seed);
    private readonly Lock sync = new();

    public async Task DelayAsync(CancellationToken cancellationToken)
    {
        var latency = options.Value.Faults.LatencyMilliseconds;
        if (latency > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(latency), timeProvider, cancellationToken);
        }
    }

    /// <summary>The fault to answer instead of processing the call, or null.</summary>
    public AwsQueryError? Draw()
    {
        var faults = options.Value.Faults;
        if (faults.ThrottleRate <= 0 && faults.ServerErrorRate <= 0)
        {
            return null;
        }

        double draw;
        bool unavailable;
        lock (sync)
        {
            draw = random.NextDouble();
            unavailable = random.Next(2) == 0;
        }

        if (draw < faults.ThrottleRate)
        {
            return new AwsQueryError("Throttling", "Rate exceeded", HttpStatusCode.BadRequest);
        }

        if (draw < faults.ThrottleRate + faults.ServerErrorRate)
        {
            return unavailable
                ? new AwsQueryError("ServiceUnavailable", "Service is unable to handle request.", HttpStatusCode.ServiceUnavailable, senderFault: false)
                : new AwsQueryError("ServiceFailure", "The request processing has failed because of an unknown error, exception or failure.", HttpStatusCode.InternalServerError, senderFault: false);
        }

        return null;
    }
}
