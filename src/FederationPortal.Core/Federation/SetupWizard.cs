using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Federation;

/// <summary>
/// The setup wizard's whole state, computed in one place from what the database holds: each stage's status, where to
/// resume, which forward moves are gated, and the people a sign-in test may pick.
/// </summary>
public sealed class SetupWizard
{
    public SetupWizard(
        FederationEnvironment environment,
        Plan plan,
        IReadOnlyList<ManagedResource> inventory,
        IReadOnlyList<Operation> operations,
        IReadOnlyList<string> people)
    {
        Environment = environment;
        Spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);
        Plan = plan;
        Inventory = inventory;
        Operations = operations;
        People = people;
        Steps = Stages.Ordered.Select(stage => new WizardStage(
            stage,
            Applies: stage is not (Stages.Connect or Stages.SignInTest),
            Done: plan.Actions.Any(a => a.Stage == stage) && plan.Actions.Where(a => a.Stage == stage).All(a => a.Change == ChangeKind.NoChange),
            LatestOperationId: operations.Where(o => o.Stage == stage).OrderByDescending(o => o.CreatedAt).FirstOrDefault()?.Id)).ToList();
    }

    public FederationEnvironment Environment { get; }

    public EnvironmentSpec Spec { get; }

    public Plan Plan { get; }

    public IReadOnlyList<ManagedResource> Inventory { get; }

    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>The user principal names a sign-in test can be run as.</summary>
    public IReadOnlyList<string> People { get; }

    /// <summary>Every stage in wizard order (<see cref="Stages.Ordered"/>).</summary>
    public IReadOnlyList<WizardStage> Steps { get; }

    /// <summary>Whether an operation of this environment is pending or running.</summary>
    public bool Running => Operations.Any(o => o.Status is OperationStatus.Pending or OperationStatus.Running);

    public bool IsDone(string stage) => Steps.Any(s => s.Stage == stage && s.Done);

    public Guid? LatestOperation(string stage) => Steps.FirstOrDefault(s => s.Stage == stage)?.LatestOperationId;

    /// <summary>
    /// Where the admin left off: the first applying stage with work left, or the sign-in test once every applying stage
    /// is done. Never Connect: the preflight is run on demand.
    /// </summary>
    public int ResumeIndex
    {
        get
        {
            var applying = Steps.Where(s => s.Applies).ToList();
            if (applying.All(s => s.Done))
            {
                return Steps.Count - 1;
            }

            return Math.Max(1, Steps.ToList().FindIndex(s => s.Applies && !s.Done));
        }
    }

    /// <summary>
    /// Why the wizard may not move from <paramref name="currentIndex"/> forward to <paramref name="targetIndex"/>, or
    /// null when it may: moving forward needs every applying stage before the target to be applied.
    /// </summary>
    public string? GateMessage(int currentIndex, int targetIndex)
    {
        if (targetIndex <= currentIndex)
        {
            return null;
        }

        var blocking = Steps.Take(Math.Min(targetIndex, Steps.Count)).FirstOrDefault(s => s.Applies && !s.Done);
        return blocking is null ? null : $"Apply the {blocking.Title} stage first: later stages build on it.";
    }
}
