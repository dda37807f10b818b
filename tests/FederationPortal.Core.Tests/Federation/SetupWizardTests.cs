using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Tests.Federation;

/// <summary>The wizard's stage status, resume point and gate, as the setup page shows them.</summary>
public sealed class SetupWizardTests
{
    private static readonly FederationEnvironment Environment = new() { Id = Guid.NewGuid(), Name = "Contoso" };

    private static SetupWizard Wizard(IReadOnlyDictionary<string, ChangeKind[]> stages, params Operation[] operations)
    {
        var actions = stages.SelectMany(stage => stage.Value.Select((change, i) =>
            new PlannedAction($"{stage.Key}:{i}", "kind", change, "type", "name", "does", [], stage.Key))).ToList();
        return new SetupWizard(Environment, new Plan(Guid.NewGuid(), Environment.Id, OperationKind.Apply, DateTimeOffset.UnixEpoch, actions), [], operations, ["diego@contoso.example"]);
    }

    private static Dictionary<string, ChangeKind[]> Done(params string[] stages) => new()
    {
        [Stages.App] = [stages.Contains(Stages.App) ? ChangeKind.NoChange : ChangeKind.Create],
        [Stages.Metadata] = [stages.Contains(Stages.Metadata) ? ChangeKind.NoChange : ChangeKind.Create],
        [Stages.Roles] = [ChangeKind.NoChange, stages.Contains(Stages.Roles) ? ChangeKind.NoChange : ChangeKind.Update],
        [Stages.Provisioning] = [stages.Contains(Stages.Provisioning) ? ChangeKind.NoChange : ChangeKind.Create],
        [Stages.Assignments] = [stages.Contains(Stages.Assignments) ? ChangeKind.NoChange : ChangeKind.Create],
    };

    [Fact]
    public void A_new_environment_resumes_at_app_registration_and_every_later_stage_is_gated_on_it()
    {
        var wizard = Wizard(Done());

        Assert.Equal(1, wizard.ResumeIndex);
        Assert.All(wizard.Steps, s => Assert.False(s.Done));
        Assert.Null(wizard.GateMessage(currentIndex: 1, targetIndex: 1));
        Assert.Null(wizard.GateMessage(currentIndex: 1, targetIndex: 0));
        Assert.Equal("Apply the App registration stage first: later stages build on it.", wizard.GateMessage(1, 4));
    }

    [Fact]
    public void A_stage_is_done_only_when_every_action_is_applied()
    {
        var wizard = Wizard(Done(Stages.App, Stages.Metadata));

        Assert.True(wizard.IsDone(Stages.App));
        Assert.False(wizard.IsDone(Stages.Roles)); // one of its two actions is still an update
        Assert.Equal(3, wizard.ResumeIndex);
        Assert.Null(wizard.GateMessage(3, 3));
        Assert.Equal("Apply the Role creation stage first: later stages build on it.", wizard.GateMessage(3, 6));
    }

    [Fact]
    public void A_stage_without_actions_is_not_done_and_holds_the_resume_point()
    {
        var stages = Done(Stages.App, Stages.Metadata, Stages.Roles, Stages.Assignments);
        stages.Remove(Stages.Provisioning);

        var wizard = Wizard(stages);

        Assert.False(wizard.IsDone(Stages.Provisioning));
        Assert.Equal(4, wizard.ResumeIndex);
    }

    [Fact]
    public void A_finished_setup_resumes_at_the_sign_in_test_and_nothing_is_gated()
    {
        var wizard = Wizard(Done(Stages.App, Stages.Metadata, Stages.Roles, Stages.Provisioning, Stages.Assignments));

        Assert.Equal(6, wizard.ResumeIndex);
        Assert.Equal(Stages.SignInTest, wizard.Steps[wizard.ResumeIndex].Stage);
        Assert.Null(wizard.GateMessage(1, 6));
        Assert.False(wizard.Steps[0].Applies);
        Assert.False(wizard.Steps[6].Applies);
    }

    [Fact]
    public void Each_stage_shows_its_latest_operation_and_a_pending_one_means_running()
    {
        var older = new Operation { Id = Guid.NewGuid(), Stage = Stages.App, CreatedAt = DateTimeOffset.UnixEpoch, Status = OperationStatus.Succeeded };
        var newer = new Operation { Id = Guid.NewGuid(), Stage = Stages.App, CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(1), Status = OperationStatus.Pending };

        var wizard = Wizard(Done(), older, newer);

        Assert.Equal(newer.Id, wizard.LatestOperation(Stages.App));
        Assert.Null(wizard.LatestOperation(Stages.Roles));
        Assert.True(wizard.Running);
        Assert.False(Wizard(Done(), older).Running);
    }
}
