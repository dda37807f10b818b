using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Tests.Lifecycle;

public sealed class PlanTests
{
    private static PlannedAction A(string id, params string[] deps) => new(id, "k", ChangeKind.Create, "T", id, id, deps, "s");

    [Fact]
    public void A_dependency_cycle_is_refused()
    {
        var plan = new Plan(Guid.NewGuid(), Guid.NewGuid(), OperationKind.Apply, DateTimeOffset.UnixEpoch, [A("a", "c"), A("b", "a"), A("c", "b")]);
        var ex = Assert.Throws<InvalidOperationException>(plan.EnsureWellFormed);
        Assert.Contains("cycle", ex.Message);
    }

    [Fact]
    public void A_dependency_on_an_unknown_action_is_refused()
    {
        var plan = new Plan(Guid.NewGuid(), Guid.NewGuid(), OperationKind.Apply, DateTimeOffset.UnixEpoch, [A("a", "ghost")]);
        Assert.Throws<InvalidOperationException>(plan.EnsureWellFormed);
    }

    [Fact]
    public void Critical_path_counts_the_longest_chain()
    {
        var plan = new Plan(Guid.NewGuid(), Guid.NewGuid(), OperationKind.Apply, DateTimeOffset.UnixEpoch,
            [A("a"), A("b", "a"), A("c", "b"), A("d"), A("e", "a", "d")]);
        Assert.Equal(3, plan.CriticalPathLength());
    }

    [Fact]
    public void No_change_actions_start_succeeded_and_a_plan_of_them_has_no_changes()
    {
        var noop = new PlannedAction("a", "k", ChangeKind.NoChange, "T", "a", "a", [], "s");
        var plan = new Plan(Guid.NewGuid(), Guid.NewGuid(), OperationKind.Apply, DateTimeOffset.UnixEpoch, [noop]);
        Assert.False(plan.HasChanges);
        Assert.Equal(ActionStatus.Succeeded, OperationAction.From(Guid.NewGuid(), noop, 0).Status);
    }
}
