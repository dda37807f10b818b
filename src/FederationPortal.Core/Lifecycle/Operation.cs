namespace FederationPortal.Core.Lifecycle;

public enum OperationStatus
{
    /// <summary>Queued; the worker has not picked it up.</summary>
    Pending,

    Running,

    Succeeded,

    /// <summary>At least one action failed; the rest of its branch was skipped. Re-running finishes the job.</summary>
    Failed,

    /// <summary>Stopped between actions at someone's request.</summary>
    Cancelled,
}

public enum ActionStatus
{
    Pending,

    /// <summary>Started and not known to have finished: after a crash it is run again (handlers are idempotent).</summary>
    Running,

    Succeeded,

    Failed,

    /// <summary>Not run because an action it depends on failed.</summary>
    Skipped,

    /// <summary>Not run because the operation was cancelled.</summary>
    Cancelled,
}

/// <summary>A durable run of a plan. Its actions' states are saved before and after each runs, so a restart resumes it.</summary>
public sealed class Operation
{
    public Guid Id { get; set; }

    public Guid EnvironmentId { get; set; }

    public Guid PlanId { get; set; }

    public OperationKind Kind { get; set; }

    public OperationStatus Status { get; set; }

    /// <summary>Restricts the run to the actions of one wizard stage (and nothing else); null for the whole plan.</summary>
    public string? Stage { get; set; }

    /// <summary>
    /// Whether its success completes the environment's setup (makes it active), as its plan said
    /// (<see cref="Plan.CompletesSetup"/>); a wizard stage before the last leaves the environment a draft.
    /// </summary>
    public bool CompletesSetup { get; set; } = true;

    public string RequestedById { get; set; } = string.Empty;

    public string RequestedByName { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public bool CancelRequested { get; set; }

    public string? Error { get; set; }

    public List<OperationAction> Actions { get; set; } = [];
}
