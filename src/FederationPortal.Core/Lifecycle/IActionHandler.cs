using FederationPortal.Core.Environments;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Lifecycle;

/// <summary>
/// Carries out one kind of planned action on a cloud. Handlers must be idempotent: the runner calls a handler again
/// for an action it had started when the process stopped, so a handler first looks for what it would create and
/// adopts it when it is provably the environment's (tagged, or recorded in the inventory) instead of creating twice.
/// </summary>
public interface IActionHandler
{
    /// <summary>The <see cref="PlannedAction.Kind"/> this handler carries out.</summary>
    string Kind { get; }

    Task<ActionResult> ExecuteAsync(ActionExecution execution, CancellationToken cancellationToken);
}

/// <summary>Everything a handler gets to do its work.</summary>
public sealed record ActionExecution(
    FederationEnvironment Environment,
    Operation Operation,
    OperationAction Action,
    PortalActor Actor,
    IResourceInventory Inventory);

/// <summary>What the handler did, in words (shown next to the action), and the resource id it touched.</summary>
public sealed record ActionResult(string Summary, string? ResourceId = null);
