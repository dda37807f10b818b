namespace FederationPortal.Core.Lifecycle;

/// <summary>Persistence of operations and their actions (implemented by the Data project).</summary>
public interface IOperationStore
{
    Task AddAsync(Operation operation, CancellationToken cancellationToken = default);

    /// <summary>The operation with its actions, freshly read.</summary>
    Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Operation>> ListForEnvironmentAsync(Guid environmentId, int take, CancellationToken cancellationToken = default);

    /// <summary>Operations left Pending or Running (e.g. by a crash): the worker resumes them at start.</summary>
    Task<IReadOnlyList<Guid>> ListUnfinishedAsync(CancellationToken cancellationToken = default);

    /// <summary>The unfinished operation of an environment, if any: only one runs per environment at a time.</summary>
    Task<Operation?> FindActiveForEnvironmentAsync(Guid environmentId, CancellationToken cancellationToken = default);

    Task SaveOperationStateAsync(Guid id, OperationStatus status, DateTimeOffset? startedAt, DateTimeOffset? completedAt, string? error, CancellationToken cancellationToken = default);

    Task SaveActionStateAsync(OperationAction action, CancellationToken cancellationToken = default);

    Task RequestCancelAsync(Guid id, CancellationToken cancellationToken = default);

    Task<bool> IsCancelRequestedAsync(Guid id, CancellationToken cancellationToken = default);
}
