namespace FederationPortal.Core.Audit;

/// <summary>Whether the audited action did what it was asked.</summary>
public enum AuditOutcome
{
    Success,
    Failure,
    Denied,
}

/// <summary>What a service asks the audit trail to record. Time, sequence and hashes are added by the trail.</summary>
public sealed record AuditEntry
{
    public required string ActorId { get; init; }

    public required string ActorName { get; init; }

    /// <summary>A dotted verb such as <c>environment.create</c> or <c>auth.signin</c>.</summary>
    public required string Action { get; init; }

    public required AuditOutcome Outcome { get; init; }

    public Guid? EnvironmentId { get; init; }

    /// <summary>The kind of resource acted on, e.g. <c>Environment</c>, <c>IamRole</c>, <c>ServicePrincipal</c>.</summary>
    public string? TargetType { get; init; }

    /// <summary>The resource's id or ARN.</summary>
    public string? TargetId { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>Ties the events of one request, plan or operation together.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Anything else worth keeping; serialized with secrets redacted.</summary>
    public object? Details { get; init; }
}

/// <summary>One stored, hash-chained audit event.</summary>
public sealed class AuditEvent
{
    /// <summary>Position in the chain, from 1, without gaps.</summary>
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    public DateTimeOffset TimestampUtc { get; set; }

    public string ActorId { get; set; } = string.Empty;

    public string ActorName { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public AuditOutcome Outcome { get; set; }

    public Guid? EnvironmentId { get; set; }

    public string? TargetType { get; set; }

    public string? TargetId { get; set; }

    public string? ErrorMessage { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>Redacted JSON object.</summary>
    public string DetailsJson { get; set; } = "{}";

    /// <summary>SHA-256 (hex) of the previous event's <see cref="Hash"/>; 64 zeros for the first event.</summary>
    public string PreviousHash { get; set; } = string.Empty;

    /// <summary>SHA-256 (hex) over <see cref="PreviousHash"/> and this event's canonical content.</summary>
    public string Hash { get; set; } = string.Empty;
}
