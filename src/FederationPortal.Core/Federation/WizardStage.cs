namespace FederationPortal.Core.Federation;

/// <summary>One step of the setup wizard as the page shows it.</summary>
/// <param name="Stage">The stage key (<see cref="Stages"/>).</param>
/// <param name="Applies">Whether the stage changes the clouds (Connect and the sign-in test do not).</param>
/// <param name="Done">Whether every action of the stage is applied (a stage without actions is not done).</param>
/// <param name="LatestOperationId">The stage's most recent operation, to show its progress.</param>
public sealed record WizardStage(string Stage, bool Applies, bool Done, Guid? LatestOperationId)
{
    public string Title => Stages.Title(Stage);
}
