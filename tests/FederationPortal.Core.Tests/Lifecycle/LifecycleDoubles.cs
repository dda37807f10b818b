using System.Collections.Concurrent;
using System.Text.Json;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Tests.Lifecycle;

/// <summary>An operation store that behaves like a database: every read returns a fresh copy.</summary>
internal sealed class InMemoryOperationStore : IOperationStore
{
    private readonly ConcurrentDictionary<Guid, string> rows = new();
    private readonly Lock gate = new();

    public Task AddAsync(Operation operation, CancellationToken cancellationToken = default)
    {
        rows[operation.Id] = JsonSerializer.Serialize(operation);
        return Task.CompletedTask;
    }

    public Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken = default)
        => Task.FromResult(rows.TryGetValue(id, out var json) ? JsonSerializer.Deserialize<Operation>(json) : null);

    public Task<IReadOnlyList<Operation>> ListForEnvironmentAsync(Guid environmentId, int take, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<Operation>>(All().Where(o => o.EnvironmentId == environmentId).Take(take).ToList());

    public Task<IReadOnlyList<Guid>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<Guid>>(All().Where(o => o.Status is OperationStatus.Pending or OperationStatus.Running).Select(o => o.Id).ToList());

    public Task<Operation?> FindActiveForEnvironmentAsync(Guid environmentId, CancellationToken cancellationToken = default)
        => Task.FromResult(All().FirstOrDefault(o => o.EnvironmentId == environmentId && o.Status is OperationStatus.Pending or OperationStatus.Running));

    public Task SaveOperationStateAsync(Guid id, OperationStatus status, DateTimeOffset? startedAt, DateTimeOffset? completedAt, string? error, CancellationToken cancellationToken = default)
    {
        Update(id, o =>
        {
            o.Status = status;
            o.StartedAt = startedAt;
            o.CompletedAt = completedAt;
            o.Error = error;
        });
        return Task.CompletedTask;
    }

    public Task SaveActionStateAsync(OperationAction action, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Update(action.OperationId, o =>
        {
            var stored = o.Actions.Single(a => a.ActionId == action.ActionId);
            stored.Status = action.Status;
            stored.Attempts = action.Attempts;
            stored.StartedAt = action.StartedAt;
            stored.CompletedAt = action.CompletedAt;
            stored.Error = action.Error;
            stored.Result = action.Result;
        });
        return Task.CompletedTask;
    }

    public Task RequestCancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        Update(id, o => o.CancelRequested = true);
        return Task.CompletedTask;
    }

    public Task<bool> IsCancelRequestedAsync(Guid id, CancellationToken cancellationToken = default)
        => Task.FromResult(FindAsync(id).Result?.CancelRequested ?? false);

    private IEnumerable<Operation> All() => rows.Values.Select(json => JsonSerializer.Deserialize<Operation>(json)!);

    private void Update(Guid id, Action<Operation> change)
    {
        lock (gate)
        {
            var operation = JsonSerializer.Deserialize<Operation>(rows[id])!;
            change(operation);
            rows[id] = JsonSerializer.Serialize(operation);
        }
    }
}

internal sealed class InMemoryInventory : IResourceInventory
{
    private readonly ConcurrentDictionary<(Guid, string, string), ManagedResource> items = new();

    public Task<IReadOnlyList<ManagedResource>> ListAsync(Guid environmentId, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<ManagedResource>>(items.Values.Where(r => r.EnvironmentId == environmentId).ToList());

    public Task<ManagedResource?> FindAsync(Guid environmentId, string type, string key, CancellationToken cancellationToken = default)
        => Task.FromResult(items.TryGetValue((environmentId, type, key), out var r) ? r : null);

    public Task UpsertAsync(ManagedResource resource, CancellationToken cancellationToken = default)
    {
        items[(resource.EnvironmentId, resource.Type, resource.Key)] = resource;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(Guid environmentId, string type, string key, CancellationToken cancellationToken = default)
    {
        items.TryRemove((environmentId, type, key), out _);
        return Task.CompletedTask;
    }
}

internal sealed class SingleEnvironmentStore(FederationEnvironment environment) : IEnvironmentStore
{
    public FederationEnvironment Current { get; private set; } = environment;

    public Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<FederationEnvironment>>([Current]);

    public Task<FederationEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult<FederationEnvironment?>(id == Current.Id ? Current : null);

    public Task<bool> NameExistsAsync(string name, Guid? exceptId, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task AddAsync(FederationEnvironment environment, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task UpdateAsync(FederationEnvironment environment, CancellationToken cancellationToken = default)
    {
        Current = environment;
        return Task.CompletedTask;
    }
}

internal sealed class ListAuditTrail : IAuditTrail
{
    public ConcurrentQueue<AuditEntry> Entries { get; } = new();

    public Task<AuditEvent> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        Entries.Enqueue(entry);
        return Task.FromResult(new AuditEvent());
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<AuditEvent> StreamAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuditIntegrityReport> VerifyIntegrityAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuditFacets> GetFacetsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

/// <summary>
/// A cloud that remembers what exists and how often each thing was created. Its handler is idempotent the way real
/// handlers must be: it adopts a resource that already exists.
/// </summary>
internal sealed class FakeCloud
{
    public ConcurrentDictionary<string, int> Creations { get; } = new();

    /// <summary>Logical clock: the tick at which each action started and finished.</summary>
    public ConcurrentDictionary<string, long> Started { get; } = new();

    public ConcurrentDictionary<string, long> Finished { get; } = new();

    public long Tick;

    public HashSet<string> FailOn { get; } = [];

    public int Concurrent;

    public int MaxConcurrent;

    /// <summary>Called at "before" (nothing done yet) and "after" (created, not yet reported) of each action.</summary>
    public Func<string, string, CancellationToken, Task>? Hook { get; set; }

    public TaskCompletionSource? Gate { get; set; }
}

internal sealed class FakeHandler(FakeCloud cloud) : IActionHandler
{
    public string Kind => "fake.resource";

    public async Task<ActionResult> ExecuteAsync(ActionExecution execution, CancellationToken cancellationToken)
    {
        var name = execution.Action.ResourceName;
        var now = Interlocked.Increment(ref cloud.Concurrent);
        InterlockedMax(ref cloud.MaxConcurrent, now);
        try
        {
            cloud.Started[name] = Interlocked.Increment(ref cloud.Tick);
            if (cloud.Hook is not null)
            {
                await cloud.Hook(name, "before", cancellationToken);
            }

            if (cloud.Gate is not null)
            {
                await cloud.Gate.Task.WaitAsync(cancellationToken);
            }

            if (cloud.FailOn.Contains(name))
            {
                throw new ActionFailedException($"{name} refused by the cloud.");
            }

            var adopted = cloud.Creations.ContainsKey(name);
            if (!adopted)
            {
                cloud.Creations.AddOrUpdate(name, 1, (_, n) => n + 1);
            }

            await execution.Inventory.UpsertAsync(new ManagedResource { EnvironmentId = execution.Environment.Id, Type = "fake", Key = name, CloudId = "id-" + name }, CancellationToken.None);
            if (cloud.Hook is not null)
            {
                await cloud.Hook(name, "after", cancellationToken);
            }

            cloud.Finished[name] = Interlocked.Increment(ref cloud.Tick);
            return new ActionResult(adopted ? $"Adopted {name}." : $"Created {name}.", "id-" + name);
        }
        finally
        {
            Interlocked.Decrement(ref cloud.Concurrent);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
