namespace FederationPortal.Core.Lifecycle;

/// <summary>One planned action inside an operation, with its progress.</summary>
public sealed class OperationAction
{
    public Guid OperationId { get; set; }

    public string ActionId { get; set; } = string.Empty;

    /// <summary>Position in the plan (a topological order).</summary>
    public int Order { get; set; }

    public string Kind { get; set; } = string.Empty;

    public ChangeKind Change { get; set; }

    public string ResourceType { get; set; } = string.Empty;

    public string ResourceName { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public List<string> DependsOn { get; set; } = [];

    public string Stage { get; set; } = string.Empty;

    public string? Preview { get; set; }

    public string? Diff { get; set; }

    public ActionStatus Status { get; set; }

    /// <summary>How many times it was started (more than one after a crash or a retry).</summary>
    public int Attempts { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? Error { get; set; }

    /// <summary>What the handler reported: the created resource's id or ARN, in words.</summary>
    public string? Result { get; set; }

    public static OperationAction From(Guid operationId, PlannedAction planned, int order) => new()
    {
        OperationId = operationId,
        ActionId = planned.Id,
        Order = order,
        Kind = planned.Kind,
        Change = planned.Change,
        ResourceType = planned.ResourceType,
        ResourceName = planned.ResourceName,
        Description = planned.Description,
        DependsOn = [.. planned.DependsOn],
        Stage = planned.Stage,
        Preview = planned.Preview,
        Diff = planned.Diff,
        Status = planned.Change == ChangeKind.NoChange ? ActionStatus.Succeeded : ActionStatus.Pending,
        Result = planned.Change == ChangeKind.NoChange ? "No change needed." : null,
    };
}
