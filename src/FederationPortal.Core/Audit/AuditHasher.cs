using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FederationPortal.Core.Audit;

/// <summary>The tamper evidence of the audit trail: each event's hash covers its content and the previous hash.</summary>
public static class AuditHasher
{
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>The canonical content of an event: a JSON array of its fields in a fixed order, invariant formats.</summary>
    public static string Canonicalize(AuditEvent e)
    {
        string?[] fields =
        [
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.Id.ToString("D"),
            e.TimestampUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            e.ActorId,
            e.ActorName,
            e.Action,
            e.Outcome.ToString(),
            e.EnvironmentId?.ToString("D"),
            e.TargetType,
            e.TargetId,
            e.ErrorMessage,
            e.CorrelationId,
            e.DetailsJson,
            e.PreviousHash,
        ];
        return JsonSerializer.Serialize(fields);
    }

    public static string ComputeHash(AuditEvent e)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(Canonicalize(e)));
        return Convert.ToHexStringLower(bytes);
    }
}

/// <summary>The result of walking the chain.</summary>
/// <param name="EventsChecked">How many events were read.</param>
/// <param name="FirstBrokenSequence">The first event whose hash or link does not hold, or null when the chain is intact.</param>
/// <param name="Problem">What is wrong with that event, in words.</param>
/// <param name="DigestsChecked">How many signed digests vouched for the chain (<see cref="AuditDigestService"/>).</param>
public sealed record AuditIntegrityReport(long EventsChecked, long? FirstBrokenSequence, string? Problem, int DigestsChecked = 0)
{
    public bool IsIntact => FirstBrokenSequence is null;
}
