using System.Runtime.CompilerServices;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Data.Audit;

/// <summary>
/// The audit trail in SQLite. Appends are serialized in-process so that each event links to the one before it;
/// the portal is the only writer of its database.
/// </summary>
internal sealed class SqliteAuditTrail(
    IDbContextFactory<PortalDbContext> factory,
    TimeProvider clock,
    ILogger<SqliteAuditTrail> logger) : IAuditTrail
{
    private const int StreamBatchSize = 1000;
    private readonly SemaphoreSlim appendLock = new(1, 1);
    private (long Sequence, string Hash)? last;

    public async Task<AuditEvent> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        // An audit event must be written even when the caller's request is being cancelled.
        _ = cancellationToken;
        var evt = new AuditEvent
        {
            Id = Guid.CreateVersion7(),
            ActorId = Truncate(entry.ActorId, 256),
            ActorName = Truncate(entry.ActorName, 256),
            Action = Truncate(entry.Action, 128),
            Outcome = entry.Outcome,
            EnvironmentId = entry.EnvironmentId,
            TargetType = entry.TargetType,
            TargetId = entry.TargetId,
            ErrorMessage = entry.ErrorMessage is null ? null : SecretRedactor.RedactText(entry.ErrorMessage),
            CorrelationId = entry.CorrelationId,
            DetailsJson = SecretRedactor.ToRedactedJson(entry.Details),
        };

        await appendLock.WaitAsync(CancellationToken.None);
        try
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            last ??= await ReadLastAsync(db);
            evt.Sequence = last.Value.Sequence + 1;
            evt.PreviousHash = last.Value.Hash;
            evt.TimestampUtc = clock.GetUtcNow();
            evt.Hash = AuditHasher.ComputeHash(evt);
            db.AuditEvents.Add(evt);
            await db.SaveChangesAsync(CancellationToken.None);
            last = (evt.Sequence, evt.Hash);
        }
        catch
        {
            last = null; // re-read the tail next time rather than trust a cache that may be stale
            throw;
        }
        finally
        {
            appendLock.Release();
        }

        logger.LogInformation(
            "Audit {Sequence}: {Action} by {ActorId} on {TargetType} {TargetId}: {Outcome}",
            evt.Sequence, evt.Action, evt.ActorId, evt.TargetType, evt.TargetId, evt.Outcome);
        return evt;
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var filtered = Filter(db.AuditEvents.AsNoTracking(), query);
        // Counting every match of a broad filter over a large trail dominates the query: count up to the limit only.
        var total = await filtered.Take(AuditPage.CountLimit + 1).CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        var items = await Sort(filtered, query)
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new AuditPage(items, Math.Min(total, AuditPage.CountLimit), total > AuditPage.CountLimit);
    }

    public async IAsyncEnumerable<AuditEvent> StreamAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Keyset pagination on Sequence keeps memory flat however large the export.
        long? after = null;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var batchQuery = Filter(db.AuditEvents.AsNoTracking(), query);
            batchQuery = query.Descending
                ? (after is null ? batchQuery : batchQuery.Where(e => e.Sequence < after)).OrderByDescending(e => e.Sequence)
                : (after is null ? batchQuery : batchQuery.Where(e => e.Sequence > after)).OrderBy(e => e.Sequence);
            var batch = await batchQuery.Take(StreamBatchSize).ToListAsync(cancellationToken);
            foreach (var evt in batch)
            {
                yield return evt;
            }

            if (batch.Count < StreamBatchSize)
            {
                yield break;
            }

            after = batch[^1].Sequence;
        }
    }

    public async Task<AuditIntegrityReport> VerifyIntegrityAsync(CancellationToken cancellationToken = default)
    {
        var expectedPrevious = AuditHasher.GenesisHash;
        long expectedSequence = 1;
        long checkedCount = 0;
        await foreach (var evt in StreamAsync(new AuditQuery { Descending = false }, cancellationToken))
        {
            checkedCount++;
            if (evt.Sequence != expectedSequence)
            {
                return new AuditIntegrityReport(checkedCount, expectedSequence,
                    $"Event {expectedSequence} is missing: the chain jumps to {evt.Sequence}.");
            }

            if (!string.Equals(evt.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                return new AuditIntegrityReport(checkedCount, evt.Sequence,
                    $"Event {evt.Sequence} does not link to event {evt.Sequence - 1}: its previous-hash differs.");
            }

            if (!string.Equals(AuditHasher.ComputeHash(evt), evt.Hash, StringComparison.Ordinal))
            {
                return new AuditIntegrityReport(checkedCount, evt.Sequence,
                    $"Event {evt.Sequence} was altered after it was written: its content no longer matches its hash.");
            }

            expectedPrevious = evt.Hash;
            expectedSequence++;
        }

        return new AuditIntegrityReport(checkedCount, null, null);
    }

    public async Task<AuditFacets> GetFacetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var actions = await db.AuditEvents.AsNoTracking().Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
        var actors = await db.AuditEvents.AsNoTracking()
            .GroupBy(e => e.ActorId)
            .Select(g => new AuditActorFacet(g.Key, g.Max(e => e.ActorName)!))
            .ToListAsync(cancellationToken);
        return new AuditFacets(actions, actors.OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static IQueryable<AuditEvent> Filter(IQueryable<AuditEvent> events, AuditQuery query)
    {
        if (query.From is { } from)
        {
            events = events.Where(e => e.TimestampUtc >= from);
        }

        if (query.To is { } to)
        {
            events = events.Where(e => e.TimestampUtc <= to);
        }

        if (!string.IsNullOrEmpty(query.ActorId))
        {
            events = events.Where(e => e.ActorId == query.ActorId);
        }

        if (!string.IsNullOrEmpty(query.Action))
        {
            events = events.Where(e => e.Action == query.Action);
        }

        if (query.EnvironmentId is { } environmentId)
        {
            events = events.Where(e => e.EnvironmentId == environmentId);
        }

        if (query.Outcome is { } outcome)
        {
            events = events.Where(e => e.Outcome == outcome);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = $"%{EscapeLike(query.Search.Trim())}%";
            events = events.Where(e =>
                EF.Functions.Like(e.ActorName, pattern, "\\") ||
                EF.Functions.Like(e.Action, pattern, "\\") ||
                EF.Functions.Like(e.TargetId ?? string.Empty, pattern, "\\") ||
                EF.Functions.Like(e.TargetType ?? string.Empty, pattern, "\\") ||
                EF.Functions.Like(e.ErrorMessage ?? string.Empty, pattern, "\\") ||
                EF.Functions.Like(e.CorrelationId ?? string.Empty, pattern, "\\") ||
                EF.Functions.Like(e.DetailsJson, pattern, "\\"));
        }

        return events;
    }

    // Ties of a column sort break by time then Sequence: an index (filter, column, TimestampUtc) then serves the page in
    // order (the rowid closes every index entry), e.g. one environment's events sorted by action.
    private static IQueryable<AuditEvent> Sort(IQueryable<AuditEvent> events, AuditQuery query) => (query.SortBy, query.Descending) switch
    {
        (AuditSortField.Actor, false) => events.OrderBy(e => e.ActorName).ThenBy(e => e.TimestampUtc).ThenBy(e => e.Sequence),
        (AuditSortField.Actor, true) => events.OrderByDescending(e => e.ActorName).ThenByDescending(e => e.TimestampUtc).ThenByDescending(e => e.Sequence),
        (AuditSortField.Action, false) => events.OrderBy(e => e.Action).ThenBy(e => e.TimestampUtc).ThenBy(e => e.Sequence),
        (AuditSortField.Action, true) => events.OrderByDescending(e => e.Action).ThenByDescending(e => e.TimestampUtc).ThenByDescending(e => e.Sequence),
        (AuditSortField.Outcome, false) => events.OrderBy(e => e.Outcome).ThenBy(e => e.TimestampUtc).ThenBy(e => e.Sequence),
        (AuditSortField.Outcome, true) => events.OrderByDescending(e => e.Outcome).ThenByDescending(e => e.TimestampUtc).ThenByDescending(e => e.Sequence),
        (AuditSortField.Environment, false) => events.OrderBy(e => e.EnvironmentId).ThenBy(e => e.TimestampUtc).ThenBy(e => e.Sequence),
        (AuditSortField.Environment, true) => events.OrderByDescending(e => e.EnvironmentId).ThenByDescending(e => e.TimestampUtc).ThenByDescending(e => e.Sequence),
        (AuditSortField.Target, false) => events.OrderBy(e => e.TargetId).ThenBy(e => e.TimestampUtc).ThenBy(e => e.Sequence),
        (AuditSortField.Target, true) => events.OrderByDescending(e => e.TargetId).ThenByDescending(e => e.TimestampUtc).ThenByDescending(e => e.Sequence),
        // Time order through TimestampUtc (then Sequence, the rowid): the (filter, TimestampUtc) indexes then serve a
        // filtered page without sorting every match.
        (_, false) => events.OrderBy(e => e.TimestampUtc).ThenBy(e => e.Sequence),
        (_, true) => events.OrderByDescending(e => e.TimestampUtc).ThenByDescending(e => e.Sequence),
    };

    private static async Task<(long, string)> ReadLastAsync(PortalDbContext db)
    {
        var tail = await db.AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync();
        return tail is null ? (0, AuditHasher.GenesisHash) : (tail.Sequence, tail.Hash);
    }

    private static string EscapeLike(string text)
        => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
