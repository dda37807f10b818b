using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Tests.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// A SIGKILL can land between any two writes. The writes that end an action or an operation (their state in the
/// operation store) come last, so that whatever was written before them (the audit event, the environment's status)
/// is never missing once they are there: a kill before them only makes the resumed run write those again.
/// </summary>
public sealed class RunnerCommitOrderTests
{
    private readonly FederationEnvironment environment = new() { Id = Guid.NewGuid(), Name = "Contoso", EntraTenantId = "t", AwsAccountId = "111122223333" };
    private readonly ListAuditTrail audit = new();
    private readonly FakeCloud cloud = new();
    private readonly List<string> violations = [];

    private async Task<Operation> RunAsync(OperationKind kind, params string[] names)
    {
        var environments = new SingleEnvironmentStore(environment);
        var store = new CheckingStore(new InMemoryOperationStore(), audit, environments, violations);
        var operation = new Operation
        {
            Id = Guid.NewGuid(),
            EnvironmentId = environment.Id,
            PlanId = Guid.NewGuid(),
            Kind = kind,
            Status = OperationStatus.Pending,
            RequestedById = "admin-1",
            RequestedByName = "Adele Vance",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        operation.Actions = names.Select((n, i) => OperationAction.From(operation.Id, new PlannedAction(n, "fake.resource", ChangeKind.Create, "Fake", n, $"Create {n}", [], "test"), i)).ToList();
        await store.AddAsync(operation);
        var runner = new OperationRunner(store, environments, new InMemoryInventory(), [new FakeHandler(cloud)], audit, new OperationNotifier(),
            new FakeTimeProvider(), new LifecycleOptions(), NullLogger<OperationRunner>.Instance);
        await runner.RunAsync(operation.Id, TestContext.Current.CancellationToken);
        return (await store.FindAsync(operation.Id))!;
    }

    [Fact]
    public async Task An_action_is_recorded_as_ended_only_after_its_outcome_is_audited()
    {
        cloud.FailOn.Add("refused");

        var operation = await RunAsync(OperationKind.Apply, "cert", "role", "refused");

        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task An_operation_is_recorded_as_ended_only_after_its_end_is_audited_and_its_environment_status_set()
    {
        var operation = await RunAsync(OperationKind.Teardown, "role", "provider");

        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        Assert.Equal(EnvironmentStatus.Deleted, environment.Status);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>The in-memory store, checking at each ending write that what must precede it is already written.</summary>
    private sealed class CheckingStore(InMemoryOperationStore inner, ListAuditTrail audit, SingleEnvironmentStore environments, List<string> violations) : IOperationStore
    {
        public Task AddAsync(Operation operation, CancellationToken cancellationToken = default) => inner.AddAsync(operation, cancellationToken);

        public Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public Task<IReadOnlyList<Operation>> ListForEnvironmentAsync(Guid environmentId, int take, CancellationToken cancellationToken = default)
            => inner.ListForEnvironmentAsync(environmentId, take, cancellationToken);

        public Task<IReadOnlyList<Guid>> ListUnfinishedAsync(CancellationToken cancellationToken = default) => inner.ListUnfinishedAsync(cancellationToken);

        public Task<Operation?> FindActiveForEnvironmentAsync(Guid environmentId, CancellationToken cancellationToken = default)
            => inner.FindActiveForEnvironmentAsync(environmentId, cancellationToken);

        public Task SaveOperationStateAsync(Guid id, OperationStatus status, DateTimeOffset? startedAt, DateTimeOffset? completedAt, string? error, CancellationToken cancellationToken = default)
        {
            if (status is OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled)
            {
                if (!audit.Entries.Any(e => e.CorrelationId == id.ToString() && e.Action.EndsWith(".complete", StringComparison.Ordinal)))
                {
                    violations.Add($"operation {id} saved {status} before its end was audited");
                }

                if (environments.Current.Status is EnvironmentStatus.Provisioning or EnvironmentStatus.TearingDown)
                {
                    violations.Add($"operation {id} saved {status} while its environment was still {environments.Current.Status}");
                }
            }

            return inner.SaveOperationStateAsync(id, status, startedAt, completedAt, error, cancellationToken);
        }

        public Task SaveActionStateAsync(OperationAction action, CancellationToken cancellationToken = default)
        {
            if (action.Status is ActionStatus.Succeeded or ActionStatus.Failed)
            {
                var outcome = action.Status == ActionStatus.Succeeded ? AuditOutcome.Success : AuditOutcome.Failure;
                if (!audit.Entries.Any(e => e.CorrelationId == action.OperationId.ToString() && e.Outcome == outcome
                                            && e.Details?.ToString()?.Contains($"actionId = {action.ActionId}, ", StringComparison.Ordinal) == true))
                {
                    violations.Add($"action {action.ActionId} saved {action.Status} before its outcome was audited");
                }
            }

            return inner.SaveActionStateAsync(action, cancellationToken);
        }

        public Task RequestCancelAsync(Guid id, CancellationToken cancellationToken = default) => inner.RequestCancelAsync(id, cancellationToken);

        public Task<bool> IsCancelRequestedAsync(Guid id, CancellationToken cancellationToken = default) => inner.IsCancelRequestedAsync(id, cancellationToken);
    }
}
