namespace FederationPortal.Core.Lifecycle;

/// <summary>What a planned action does to its resource.</summary>
public enum ChangeKind
{
    Create,
    Update,
    Delete,
    NoChange,
}

/// <summary>Setup applies the desired state; teardown removes everything the portal created.</summary>
public enum OperationKind
{
    Apply,
    Teardown,
}

/// <summary>
/// One step of a plan: a change to one resource on one cloud, carried out by the <see cref="IActionHandler"/>
/// registered for <see cref="Kind"/>. Its id is stable across plans of the same environment (e.g.
/// <c>aws.role:Administrator</c>), so that a resumed operation recognises the work it has done.
/// </summary>
/// <param name="Id">Stable key of the action within its plan.</param>
/// <param name="Kind">The handler that carries it out, e.g. <c>aws.role</c>.</param>
/// <param name="Change">Create, update, delete or no change.</param>
/// <param name="ResourceType">What kind of resource, for people: <c>IAM role</c>, <c>Enterprise application</c>.</param>
/// <param name="ResourceName">Which one, for people.</param>
/// <param name="Description">What will happen, in one sentence.</param>
/// <param name="DependsOn">Ids of actions that must succeed first.</param>
/// <param name="Stage">The wizard stage this action belongs to.</param>
/// <param name="Preview">The JSON (or XML) that will be sent, where it helps to see it.</param>
/// <param name="Diff">For updates: a readable before → after.</param>
public sealed record PlannedAction(
    string Id,
    string Kind,
    ChangeKind Change,
    string ResourceType,
    string ResourceName,
    string Description,
    IReadOnlyList<string> DependsOn,
    string Stage,
    string? Preview = null,
    string? Diff = null);

/// <summary>The actions that take an environment from what it has to what was asked, in dependency order.</summary>
public sealed record Plan(Guid Id, Guid EnvironmentId, OperationKind Kind, DateTimeOffset CreatedAt, IReadOnlyList<PlannedAction> Actions)
{
    public bool HasChanges => Actions.Any(a => a.Change != ChangeKind.NoChange);

    /// <summary>
    /// The stage whose success ends the setup when the plan is applied one stage at a time (the planner names it);
    /// null when no single stage does.
    /// </summary>
    public string? FinalStage { get; init; }

    /// <summary>
    /// Whether applying the plan (only <paramref name="stage"/>'s actions when given) with success completes the setup,
    /// which makes the environment active; any other applied stage leaves it a draft.
    /// </summary>
    public bool CompletesSetup(string? stage)
        => Kind == OperationKind.Apply && (stage is null || string.Equals(stage, FinalStage, StringComparison.Ordinal));

    /// <summary>Throws when an action depends on an unknown action or the dependencies form a cycle.</summary>
    public void EnsureWellFormed()
    {
        var ids = Actions.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.Count != Actions.Count)
        {
            throw new InvalidOperationException("A plan holds two actions with the same id.");
        }

        foreach (var action in Actions)
        {
            foreach (var dependency in action.DependsOn.Where(d => !ids.Contains(d)))
            {
                throw new InvalidOperationException($"Action {action.Id} depends on {dependency}, which is not in the plan.");
            }
        }

        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var byId = Actions.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var action in Actions)
        {
            Visit(action.Id);
        }

        void Visit(string id)
        {
            if (done.Contains(id))
            {
                return;
            }

            if (!visiting.Add(id))
            {
                throw new InvalidOperationException($"The plan's dependencies form a cycle through {id}.");
            }

            foreach (var dependency in byId[id].DependsOn)
            {
                Visit(dependency);
            }

            visiting.Remove(id);
            done.Add(id);
        }
    }

    /// <summary>The length of the longest dependency chain (in actions): the least number of sequential rounds.</summary>
    public int CriticalPathLength()
    {
        var byId = Actions.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        int Depth(string id) => depth.TryGetValue(id, out var d) ? d : depth[id] = 1 + byId[id].DependsOn.Select(Depth).DefaultIfEmpty(0).Max();
        return Actions.Select(a => Depth(a.Id)).DefaultIfEmpty(0).Max();
    }
}
