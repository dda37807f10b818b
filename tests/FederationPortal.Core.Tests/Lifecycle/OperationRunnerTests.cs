using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Core.Tests.Lifecycle;

public sealed class OperationRunnerTests
{
    private readonly FederationEnvironment environment = new() { Id = Guid.NewGuid(), Name = "Contoso", EntraTenantId = "t", AwsAccountId = "111122223333" };
    private readonly InMemoryOperationStore store = new();
    private readonly InMemoryInventory inventory = new();
    private readonly ListAuditTrail audit = new();
    private readonly FakeCloud cloud = new();
    private readonly FakeTimeProvider clock = new();
    private readonly SingleEnvironmentStore environments;

    public OperationRunnerTests() => environments = new SingleEnvironmentStore(environment);

    private OperationRunner Runner(int parallelism = 4) => new(
        store, environments, inventory, [new FakeHandler(cloud)], audit, new OperationNotifier(), clock,
        new LifecycleOptions { MaxParallelActions = parallelism }, NullLogger<OperationRunner>.Instance);

    private static PlannedAction Action(string id, params string[] dependsOn)
        => new(id, "fake.resource", ChangeKind.Create, "Fake", id, $"Create {id}", dependsOn, "test");

    /// <summary>A plan shaped like a setup: certificate → metadata → provider → roles (x3) → import → assignments (x2).</summary>
    private static readonly PlannedAction[] SetupShape =
    [
        Action("cert"),
        Action("claims"),
        Action("metadata", "cert"),
        Action("provider", "metadata"),
        Action("role-a", "provider"),
        Action("role-b", "provider"),
        Action("role-c", "provider"),
        Action("user"),
        Action("import", "role-a", "role-b", "role-c", "user"),
        Action("assign-1", "import", "claims"),
        Action("assign-2", "import", "claims"),
    ];

    private Task<Guid> EnqueueAsync(params PlannedAction[] actions) => EnqueueAsync(completesSetup: true, actions);

    private async Task<Guid> EnqueueAsync(bool completesSetup, params PlannedAction[] actions)
    {
        var plan = new Plan(Guid.NewGuid(), environment.Id, OperationKind.Apply, clock.GetUtcNow(), actions);
        plan.EnsureWellFormed();
        var operation = new Operation
        {
            Id = Guid.NewGuid(),
            EnvironmentId = environment.Id,
            PlanId = plan.Id,
            Kind = OperationKind.Apply,
            Status = OperationStatus.Pending,
            CompletesSetup = completesSetup,
            RequestedById = "admin-1",
            RequestedByName = "Adele Vance",
            CreatedAt = clock.GetUtcNow(),
        };
        operation.Actions = actions.Select((a, i) => OperationAction.From(operation.Id, a, i)).ToList();
        await store.AddAsync(operation);
        return operation.Id;
    }

    /// <summary>Holds every action at the gate until <paramref name="concurrent"/> are inside, then lets all through.</summary>
    private async Task RunWithGateAsync(Guid id, int parallelism, int concurrent)
    {
        cloud.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Runner(parallelism).RunAsync(id, TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Volatile.Read(ref cloud.Concurrent) < concurrent)
        {
            await Task.Delay(5, timeout.Token); // polls a condition with a deadline
        }

        cloud.Gate.SetResult();
        await run;
    }

    [Fact]
    public async Task Dependent_actions_wait_for_their_dependencies_and_independent_ones_overlap()
    {
        var id = await EnqueueAsync(SetupShape);

        // cert, claims and user have no dependencies: all three must be in flight together.
        await RunWithGateAsync(id, parallelism: 4, concurrent: 3);

        var operation = (await store.FindAsync(id))!;
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        Assert.All(operation.Actions, a => Assert.Equal(ActionStatus.Succeeded, a.Status));
        foreach (var action in SetupShape)
        {
            foreach (var dependency in action.DependsOn)
            {
                Assert.True(cloud.Finished[dependency] < cloud.Started[action.Id], $"{action.Id} started before {dependency} finished");
            }
        }

        Assert.True(cloud.MaxConcurrent > 1, "independent actions should run side by side");
        Assert.Equal(EnvironmentStatus.Active, environments.Current.Status);
    }

    [Fact]
    public async Task Parallelism_never_exceeds_the_configured_bound()
    {
        var wide = Enumerable.Range(0, 12).Select(i => Action($"r{i}")).ToArray();
        var id = await EnqueueAsync(wide);
        await RunWithGateAsync(id, parallelism: 3, concurrent: 3);

        Assert.Equal(3, cloud.MaxConcurrent);
        Assert.Equal(12, cloud.Creations.Count);
    }

    [Fact]
    public async Task A_failure_skips_its_dependents_lets_other_branches_finish_and_is_audited()
    {
        cloud.FailOn.Add("role-b");
        var id = await EnqueueAsync(SetupShape);
        await Runner().RunAsync(id, TestContext.Current.CancellationToken);

        var operation = (await store.FindAsync(id))!;
        var status = operation.Actions.ToDictionary(a => a.ActionId, a => a.Status);
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Equal(ActionStatus.Failed, status["role-b"]);
        Assert.Equal(ActionStatus.Skipped, status["import"]);
        Assert.Equal(ActionStatus.Skipped, status["assign-1"]);
        Assert.Equal(ActionStatus.Succeeded, status["role-a"]);
        Assert.Equal(ActionStatus.Succeeded, status["claims"]);
        Assert.Contains("refused by the cloud", operation.Error);
        Assert.Equal(EnvironmentStatus.Failed, environments.Current.Status);

        var failureEvent = Assert.Single(audit.Entries, e => e.Outcome == AuditOutcome.Failure && e.Action == "fake.resource.create");
        Assert.Equal(id.ToString(), failureEvent.CorrelationId);
    }

    [Fact]
    public async Task Every_action_writes_one_audit_event_correlated_by_operation()
    {
        var id = await EnqueueAsync(SetupShape);
        await Runner().RunAsync(id, TestContext.Current.CancellationToken);

        var perAction = audit.Entries.Where(e => e.Action == "fake.resource.create").ToList();
        Assert.Equal(SetupShape.Length, perAction.Count);
        Assert.All(perAction, e => Assert.Equal(id.ToString(), e.CorrelationId));
        Assert.Single(audit.Entries, e => e.Action == "operation.apply.complete" && e.Outcome == AuditOutcome.Success);
    }

    public static TheoryData<int, string> CrashPoints()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < SetupShape.Length; i++)
        {
            data.Add(i, "before");
            data.Add(i, "after");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task Stopping_the_process_at_any_action_boundary_then_resuming_ends_in_the_same_state_without_duplicates(int crashAt, string point)
    {
        var id = await EnqueueAsync(SetupShape);
        using var process = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var victim = SetupShape[crashAt].Id;
        cloud.Hook = (name, at, token) =>
        {
            if (name == victim && at == point && !process.IsCancellationRequested)
            {
                process.Cancel();
                token.ThrowIfCancellationRequested();
            }

            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner().RunAsync(id, process.Token));
        Assert.Contains(id, await store.ListUnfinishedAsync());

        cloud.Hook = null;
        await Runner().RunAsync(id, TestContext.Current.CancellationToken);

        var operation = (await store.FindAsync(id))!;
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        Assert.Equal(SetupShape.Select(a => a.Id).Order(), cloud.Creations.Keys.Order());
        Assert.All(cloud.Creations, c => Assert.Equal(1, c.Value));
        Assert.Equal(SetupShape.Length, (await inventory.ListAsync(environment.Id)).Count);
        Assert.Empty(await store.ListUnfinishedAsync());
    }

    [Fact]
    public async Task Cancel_stops_between_actions_and_leaves_the_rest_cancelled()
    {
        var id = await EnqueueAsync(Action("first"), Action("second", "first"), Action("third", "second"));
        cloud.Hook = async (name, at, _) =>
        {
            if (name == "first" && at == "before")
            {
                await store.RequestCancelAsync(id);
            }
        };

        await Runner().RunAsync(id, TestContext.Current.CancellationToken);

        var operation = (await store.FindAsync(id))!;
        Assert.Equal(OperationStatus.Cancelled, operation.Status);
        Assert.Equal(ActionStatus.Succeeded, operation.Actions.Single(a => a.ActionId == "first").Status);
        Assert.Equal(ActionStatus.Cancelled, operation.Actions.Single(a => a.ActionId == "second").Status);
        Assert.False(cloud.Creations.ContainsKey("second"));
    }

    [Fact]
    public async Task A_finished_operation_is_not_run_again()
    {
        var id = await EnqueueAsync(Action("only"));
        await Runner().RunAsync(id, TestContext.Current.CancellationToken);
        await Runner().RunAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(1, cloud.Creations["only"]);
        Assert.Single(audit.Entries, e => e.Action == "fake.resource.create");
    }

    [Fact]
    public async Task An_action_without_a_handler_fails_with_a_clear_message()
    {
        var id = await EnqueueAsync(new PlannedAction("x", "nobody.handles", ChangeKind.Create, "Thing", "x", "Create x", [], "test"));
        await Runner().RunAsync(id, TestContext.Current.CancellationToken);
        var action = (await store.FindAsync(id))!.Actions.Single();
        Assert.Equal(ActionStatus.Failed, action.Status);
        Assert.Contains("No handler", action.Error);
    }

    [Fact]
    public async Task An_operation_whose_plan_does_not_complete_the_setup_leaves_the_environment_a_draft()
    {
        var id = await EnqueueAsync(completesSetup: false, Action("only"));

        await Runner().RunAsync(id, TestContext.Current.CancellationToken);

        Assert.Equal(OperationStatus.Succeeded, (await store.FindAsync(id))!.Status);
        Assert.Equal(EnvironmentStatus.Draft, environments.Current.Status);
    }
}
