using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Security;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Lifecycle;

/// <summary>
/// Runs one operation to its end: independent actions in parallel (bounded), dependent ones in order, each
/// action's state saved before and after it runs, one audit event per action. Stopping the process (the token)
/// leaves started actions as Running; the next run starts them again, and the idempotent handlers adopt what they
/// had already created. Cancel stops between actions.
/// </summary>
public sealed class OperationRunner(
    IOperationStore store,
    IEnvironmentStore environments,
    IResourceInventory inventory,
    IEnumerable<IActionHandler> handlers,
    IAuditTrail audit,
    OperationNotifier notifier,
    TimeProvider clock,
    LifecycleOptions options,
    ILogger<OperationRunner> logger)
{
    private readonly Dictionary<string, IActionHandler> handlersByKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public async Task RunAsync(Guid operationId, CancellationToken cancellationToken)
    {
        var operation = await store.FindAsync(operationId, cancellationToken);
        if (operation is null || operation.Status is OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled)
        {
            return;
        }

        var environment = await environments.FindAsync(operation.EnvironmentId, cancellationToken)
                          ?? throw new InvalidOperationException($"Operation {operationId} belongs to environment {operation.EnvironmentId}, which does not exist.");
        var actor = new PortalActor(operation.RequestedById, operation.RequestedByName, [PortalRoles.Admin]);

        operation.StartedAt ??= clock.GetUtcNow();
        await store.SaveOperationStateAsync(operation.Id, OperationStatus.Running, operation.StartedAt, null, null, cancellationToken);
        await SetEnvironmentStatusAsync(environment, operation.Kind == OperationKind.Apply ? EnvironmentStatus.Provisioning : EnvironmentStatus.TearingDown, actor);
        logger.LogInformation("Running operation {OperationId} ({Kind}) for {EnvironmentId}", operation.Id, operation.Kind, operation.EnvironmentId);
        await notifier.NotifyAsync(operation.Id);

        var byId = operation.Actions.ToDictionary(a => a.ActionId, StringComparer.Ordinal);
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        var cancelled = false;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await SkipBlockedAsync(operation, byId);

            if (!cancelled && await store.IsCancelRequestedAsync(operation.Id, cancellationToken))
            {
                cancelled = true;
                logger.LogInformation("Operation {OperationId} cancel requested: finishing running actions only", operation.Id);
            }

            if (!cancelled)
            {
                foreach (var action in operation.Actions
                             .Where(a => a.Status is ActionStatus.Pending or ActionStatus.Running && !running.ContainsKey(a.ActionId))
                             .Where(a => a.DependsOn.All(d => byId[d].Status == ActionStatus.Succeeded))
                             .OrderBy(a => a.Order)
                             .Take(Math.Max(1, options.MaxParallelActions) - running.Count))
                {
                    running[action.ActionId] = RunActionAsync(environment, operation, action, actor, cancellationToken);
                }
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Values);
            foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
            {
                running.Remove(done);
            }

            await finished; // surfaces the process stopping (cancellation) to the caller
            await notifier.NotifyAsync(operation.Id);
        }

        if (cancelled)
        {
            foreach (var action in operation.Actions.Where(a => a.Status is ActionStatus.Pending or ActionStatus.Running))
            {
                action.Status = ActionStatus.Cancelled;
                await store.SaveActionStateAsync(action, CancellationToken.None);
            }
        }

        var failed = operation.Actions.Where(a => a.Status == ActionStatus.Failed).ToList();
        var status = failed.Count > 0 ? OperationStatus.Failed : cancelled ? OperationStatus.Cancelled : OperationStatus.Succeeded;
        var error = failed.Count > 0 ? string.Join(" ", failed.Select(a => $"{a.ResourceType} {a.ResourceName}: {a.Error}")) : null;
        // The operation's end state is saved last: a process killed before it resumes the operation, which then only
        // sets the environment's status and audits the end again, instead of leaving an ended operation whose
        // environment stays Provisioning or TearingDown and whose end was never audited.
        await SetEnvironmentStatusAsync(environment, (operation.Kind, status) switch
        {
            (OperationKind.Teardown, OperationStatus.Succeeded) => EnvironmentStatus.Deleted,
            (_, OperationStatus.Succeeded) => operation.CompletesSetup ? EnvironmentStatus.Active : EnvironmentStatus.Draft,
            (_, OperationStatus.Failed) => EnvironmentStatus.Failed,
            _ => EnvironmentStatus.Draft,
        }, actor);

        await audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = $"operation.{operation.Kind.ToString().ToLowerInvariant()}.complete",
            Outcome = status == OperationStatus.Succeeded ? AuditOutcome.Success : AuditOutcome.Failure,
            EnvironmentId = operation.EnvironmentId,
            TargetType = "Operation",
            TargetId = operation.Id.ToString(),
            CorrelationId = operation.Id.ToString(),
            ErrorMessage = error ?? (status == OperationStatus.Cancelled ? "Cancelled." : null),
            Details = new
            {
                planId = operation.PlanId,
                stage = operation.Stage,
                status = status.ToString(),
                succeeded = operation.Actions.Count(a => a.Status == ActionStatus.Succeeded),
                failed = failed.Count,
                skipped = operation.Actions.Count(a => a.Status == ActionStatus.Skipped),
            },
        }, CancellationToken.None);
        await store.SaveOperationStateAsync(operation.Id, status, operation.StartedAt, clock.GetUtcNow(), error, CancellationToken.None);
        logger.LogInformation("Operation {OperationId} ended {Status}", operation.Id, status);
        await notifier.NotifyAsync(operation.Id);
    }

    private async Task RunActionAsync(FederationEnvironment environment, Operation operation, OperationAction action, PortalActor actor, CancellationToken cancellationToken)
    {
        // Let the scheduler loop finish launching before this action's work starts.
        await Task.Yield();

        action.Status = ActionStatus.Running;
        action.Attempts++;
        action.StartedAt = clock.GetUtcNow();
        action.Error = null;
        await store.SaveActionStateAsync(action, cancellationToken);
        await notifier.NotifyAsync(operation.Id);

        try
        {
            if (!handlersByKind.TryGetValue(action.Kind, out var handler))
            {
                throw new ActionFailedException($"No handler is registered for '{action.Kind}'. This is a defect of the portal.");
            }

            var result = await handler.ExecuteAsync(new ActionExecution(environment, operation, action, actor, inventory), cancellationToken);
            action.Status = ActionStatus.Succeeded;
            action.Result = result.Summary;
            action.CompletedAt = clock.GetUtcNow();

            // Audited before the state that ends the action is saved: a process killed between the two runs the action
            // again (handlers are idempotent, so it is audited twice) rather than leave a done action unaudited.
            await AuditActionAsync(operation, action, actor, AuditOutcome.Success, result.ResourceId);
            await store.SaveActionStateAsync(action, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The process is stopping: leave the action Running so that the next start runs it again.
            throw;
        }
        catch (Exception ex)
        {
            action.Status = ActionStatus.Failed;
            action.Error = SecretRedactor.RedactText(ex.Message);
            action.CompletedAt = clock.GetUtcNow();
            await AuditActionAsync(operation, action, actor, AuditOutcome.Failure, null);
            await store.SaveActionStateAsync(action, CancellationToken.None);
            logger.LogWarning(ex, "Action {ActionId} of operation {OperationId} failed", action.ActionId, operation.Id);
        }
    }

    private async Task SkipBlockedAsync(Operation operation, Dictionary<string, OperationAction> byId)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var action in operation.Actions.Where(a => a.Status == ActionStatus.Pending).ToList())
            {
                var blocker = action.DependsOn.Select(d => byId[d]).FirstOrDefault(d => d.Status is ActionStatus.Failed or ActionStatus.Skipped or ActionStatus.Cancelled);
                if (blocker is null)
                {
                    continue;
                }

                action.Status = ActionStatus.Skipped;
                action.Error = $"Not run: {blocker.ResourceType} {blocker.ResourceName} did not succeed.";
                await store.SaveActionStateAsync(action, CancellationToken.None);
                changed = true;
            }
        }
        while (changed);
    }

    private Task AuditActionAsync(Operation operation, OperationAction action, PortalActor actor, AuditOutcome outcome, string? resourceId)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = $"{action.Kind}.{action.Change.ToString().ToLowerInvariant()}",
            Outcome = outcome,
            EnvironmentId = operation.EnvironmentId,
            TargetType = action.ResourceType,
            TargetId = resourceId ?? action.ResourceName,
            ErrorMessage = action.Error,
            CorrelationId = operation.Id.ToString(),
            Details = new { planId = operation.PlanId, operationId = operation.Id, actionId = action.ActionId, attempt = action.Attempts, result = action.Result },
        }, CancellationToken.None);

    private async Task SetEnvironmentStatusAsync(FederationEnvironment environment, EnvironmentStatus status, PortalActor actor)
    {
        if (environment.Status == status)
        {
            return;
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                environment.Status = status;
                environment.UpdatedAt = clock.GetUtcNow();
                environment.UpdatedBy = actor.DisplayName;
                await environments.UpdateAsync(environment, CancellationToken.None);
                return;
            }
            catch (EnvironmentConcurrencyException)
            {
                var fresh = await environments.FindAsync(environment.Id, CancellationToken.None);
                if (fresh is null)
                {
                    return;
                }

                environment.Version = fresh.Version;
            }
        }
    }
}
