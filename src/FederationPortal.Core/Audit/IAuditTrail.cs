namespace FederationPortal.Core.Audit;

/// <summary>Append-only, hash-chained record of every action taken through the portal.</summary>
public interface IAuditTrail
{
    /// <summary>Appends one event. Never throws for a bad <see cref="AuditEntry.Details"/>: secrets are redacted first.</summary>
    Task<AuditEvent> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>One page of events matching <paramref name="query"/>.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every event matching <paramref name="query"/> (its paging ignored), read in batches.</summary>
    IAsyncEnumerable<AuditEvent> StreamAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain and reports the first broken link.</summary>
    Task<AuditIntegrityReport> VerifyIntegrityAsync(CancellationToken cancellationToken = default);

    /// <summary>The distinct actions and actors recorded so far, for filter pickers.</summary>
    Task<AuditFacets> GetFacetsAsync(CancellationToken cancellationToken = default);
}

public enum AuditSortField
{
    Time,
    Actor,
    Action,
    Outcome,
    Environment,
    Target,
}

/// <summary>Filters, sort and page of an audit query. Every filter is optional.</summary>
public sealed record AuditQuery
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? ActorId { get; init; }

    public string? Action { get; init; }

    public Guid? EnvironmentId { get; init; }

    public AuditOutcome? Outcome { get; init; }

    /// <summary>Free text looked for in actor, action, target, error and details.</summary>
    public string? Search { get; init; }

    public AuditSortField SortBy { get; init; } = AuditSortField.Time;

    public bool Descending { get; init; } = true;

    public int Page { get; init; }

    public int PageSize { get; init; } = 25;
}

/// <summary>One page of events.</summary>
/// <param name="TotalCount">How many events match, counted up to <see cref="CountLimit"/>.</param>
/// <param name="IsTotalCapped">True when more than <see cref="CountLimit"/> match: the count stops there, so that a query over a
/// million events stays fast; narrowing the filters gives the exact number.</param>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Items, int TotalCount, bool IsTotalCapped = false)
{
    public const int CountLimit = 10_000;
}

public sealed record AuditFacets(IReadOnlyList<string> Actions, IReadOnlyList<AuditActorFacet> Actors);

public sealed record AuditActorFacet(string Id, string DisplayName);
