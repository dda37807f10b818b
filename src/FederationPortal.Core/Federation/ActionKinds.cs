namespace FederationPortal.Core.Federation;

/// <summary>
/// The kinds of action a federation plan holds (<see cref="Lifecycle.PlannedAction.Kind"/>): the planner puts them in
/// plans and each handler names the one it carries out, so both read the same constant. The engine refuses to start
/// when one of <see cref="All"/> has no handler. An action that exists once per environment has its kind as its id.
/// </summary>
public static class ActionKinds
{
    public const string App = "entra.app";
    public const string SamlSettings = "entra.sso";
    public const string Certificate = "entra.certificate";
    public const string Claims = "entra.claims";
    public const string Provisioning = "entra.provisioning";
    public const string AppRoles = "entra.app-roles";
    public const string Assignment = "entra.assignment";
    public const string SamlProvider = "aws.saml-provider";
    public const string Role = "aws.role";
    public const string ProvisioningUser = "aws.provisioning-user";

    /// <summary>Every kind the planner can plan.</summary>
    public static readonly IReadOnlyList<string> All = [App, SamlSettings, Certificate, Claims, Provisioning, AppRoles, Assignment, SamlProvider, Role, ProvisioningUser];

    /// <summary>The id of the action for one role: stable across plans, e.g. <c>aws.role:Administrator</c>.</summary>
    public static string RoleActionId(string roleName) => $"{Role}:{roleName}";

    /// <summary>The id of the action for one app role assignment (its key is <c>principal:role</c>).</summary>
    public static string AssignmentActionId(string assignmentKey) => $"{Assignment}:{assignmentKey}";

    /// <summary>The assignment key inside an assignment action's id.</summary>
    public static string AssignmentKeyOf(string actionId) => actionId[(Assignment.Length + 1)..];
}
