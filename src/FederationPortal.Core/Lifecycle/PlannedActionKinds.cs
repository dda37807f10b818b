namespace FederationPortal.Core.Lifecycle;

/// <summary>
/// The action kinds one planner can put in a plan. Each planner registers one; <see cref="ActionHandlerCheck"/> makes
/// the engine refuse to start while one of them has no <see cref="IActionHandler"/>.
/// </summary>
/// <param name="Planner">Who plans them, for the message: <c>FederationPlanner</c>.</param>
/// <param name="Kinds">The <see cref="PlannedAction.Kind"/>s it can plan.</param>
public sealed record PlannedActionKinds(string Planner, IReadOnlyList<string> Kinds);
