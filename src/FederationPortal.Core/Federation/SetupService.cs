using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Federation;

/// <summary>
/// What the wizard and the API do with an environment: save its desired state, show the plan, apply it (whole, or
/// one wizard stage), follow and cancel the operation. Every change is authorized (Admin) and audited here.
/// </summary>
public sealed class SetupService(
    IEnvironmentStore environments,
    IResourceInventory inventory,
    IOperationStore operations,
    OperationQueue queue,
    FederationPlanner planner,
    IAuditTrail audit,
    TimeProvider clock)
{
    public async Task<FederationEnvironment> GetEnvironmentAsync(Guid environmentId, CancellationToken cancellationToken = default)
        => await environments.FindAsync(environmentId, cancellationToken)
           ?? throw new PortalNotFoundException($"There is no environment {environmentId}.");

    public async Task<EnvironmentSpec> GetSpecAsync(Guid environmentId, CancellationToken cancellationToken = default)
        => EnvironmentSpec.FromJson((await GetEnvironmentAsync(environmentId, cancellationToken)).DesiredStateJson);

    public Task<IReadOnlyList<ManagedResource>> GetInventoryAsync(Guid environmentId, CancellationToken cancellationToken = default)
        => inventory.ListAsync(environmentId, cancellationToken);

    /// <summary>Validates and stores the desired state. Nothing on the clouds changes until Apply.</summary>
    public async Task<FederationEnvironment> SaveSpecAsync(PortalActor actor, Guid environmentId, EnvironmentSpec spec, CancellationToken cancellationToken = default)
    {
        const string action = "environment.spec.save";
        await AuthorizeAsync(actor, action, environmentId, cancellationToken);
        var environment = await GetEnvironmentAsync(environmentId, cancellationToken);
        var errors = SpecValidator.Validate(environment, spec, clock.GetUtcNow());
        if (errors.Count > 0)
        {
            var failure = new PortalValidationException(errors);
            await RecordAsync(actor, action, environmentId, AuditOutcome.Failure, failure.Message, spec, null, cancellationToken);
            throw failure;
        }

        environment.DesiredStateJson = spec.ToJson();
        environment.UpdatedAt = clock.GetUtcNow();
        environment.UpdatedBy = actor.DisplayName;
        try
        {
            await environments.UpdateAsync(environment, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RecordAsync(actor, action, environmentId, AuditOutcome.Failure, ex.Message, spec, null, cancellationToken);
            throw;
        }

        await RecordAsync(actor, action, environmentId, AuditOutcome.Success, null, spec, null, cancellationToken);
        return environment;
    }

    /// <summary>The plan that would bring the clouds to the desired state (read-only).</summary>
    public async Task<Plan> PlanAsync(Guid environmentId, CancellationToken cancellationToken = default)
    {
        var environment = await GetEnvironmentAsync(environmentId, cancellationToken);
        var spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);
        return planner.PlanApply(environment, spec, await inventory.ListAsync(environmentId, cancellationToken));
    }

    /// <summary>
    /// Starts applying the plan (only the actions of <paramref name="stage"/> when given) as a durable background
    /// operation and returns at once; follow it with <see cref="GetOperationAsync"/> or the notifier.
    /// </summary>
    public Task<Operation> ApplyAsync(PortalActor actor, Guid environmentId, string? stage = null, CancellationToken cancellationToken = default)
        => ApplyAsync(actor, environmentId, stage, null, cancellationToken);

    private async Task<Operation> ApplyAsync(PortalActor actor, Guid environmentId, string? stage, IReadOnlyDictionary<string, string>? drift, CancellationToken cancellationToken)
    {
        var action = drift is null ? "operation.apply.start" : "operation.reconcile.start";
        await AuthorizeAsync(actor, action, environmentId, cancellationToken);
        var environment = await GetEnvironmentAsync(environmentId, cancellationToken);
        var spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);

        var errors = SpecValidator.Validate(environment, spec, clock.GetUtcNow()).ToDictionary();
        if (await operations.FindActiveForEnvironmentAsync(environmentId, cancellationToken) is { } active)
        {
            errors["operation"] = $"Operation {active.Id} is still running for this environment. Wait for it or cancel it first.";
        }

        var plan = planner.PlanApply(environment, spec, await inventory.ListAsync(environmentId, cancellationToken), drift);
        var chosen = stage is null ? plan.Actions : plan.Actions.Where(a => a.Stage == stage).ToList();
        var chosenIds = chosen.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var byId = plan.Actions.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var pending in chosen.SelectMany(a => a.DependsOn).Where(d => !chosenIds.Contains(d)).Select(d => byId[d]).Where(d => d.Change != ChangeKind.NoChange).DistinctBy(d => d.Id))
        {
            errors[$"stage.{pending.Stage}"] = $"Apply the {Stages.Title(pending.Stage)} stage first: {pending.ResourceType} {pending.ResourceName} is not done yet.";
        }

        if (chosen.Count == 0)
        {
            errors["stage"] = stage is null ? "The desired state is empty: nothing to apply." : $"The {Stages.Title(stage)} stage has nothing to do.";
        }

        if (errors.Count > 0)
        {
            var failure = new PortalValidationException(errors);
            await RecordAsync(actor, action, environmentId, AuditOutcome.Failure, failure.Message, new { stage }, plan.Id.ToString(), cancellationToken);
            throw failure;
        }

        return await StartAsync(actor, action, plan, stage,
            chosen.Select(a => a with { DependsOn = a.DependsOn.Where(chosenIds.Contains).ToList() }).ToList(),
            operationId => new { planId = plan.Id, operationId, stage, actions = chosen.Count(a => a.Change != ChangeKind.NoChange) },
            cancellationToken);
    }

    /// <summary>Stores the operation with its actions, audits its start, and queues it for the worker.</summary>
    private async Task<Operation> StartAsync(PortalActor actor, string action, Plan plan, string? stage, IReadOnlyList<PlannedAction> actions, Func<Guid, object> details, CancellationToken cancellationToken)
    {
        var operation = new Operation
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            EnvironmentId = plan.EnvironmentId,
            PlanId = plan.Id,
            Kind = plan.Kind,
            Status = OperationStatus.Pending,
            Stage = stage,
            CompletesSetup = plan.CompletesSetup(stage),
            RequestedById = actor.Id,
            RequestedByName = actor.DisplayName,
            CreatedAt = clock.GetUtcNow(),
        };
        operation.Actions = actions.Select((a, i) => OperationAction.From(operation.Id, a, i)).ToList();
        await operations.AddAsync(operation, cancellationToken);
        await RecordAsync(actor, action, plan.EnvironmentId, AuditOutcome.Success, null,
            details(operation.Id), operation.Id.ToString(), cancellationToken);
        await queue.EnqueueAsync(operation.Id, cancellationToken);
        return operation;
    }

    /// <summary>
    /// Restores what changed outside the portal: forgets resources deleted behind its back (so they are created again),
    /// and runs the actions of changed ones again, as one apply operation. Resources that are no longer provably ours
    /// make their action fail with an explanation rather than be overwritten.
    /// </summary>
    public async Task<Operation> ReconcileAsync(PortalActor actor, Guid environmentId, IReadOnlyList<DriftItem> drift, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(actor, "operation.reconcile.start", environmentId, cancellationToken);
        var drifted = drift.Where(d => d.State is DriftState.Missing or DriftState.Changed or DriftState.Pending).ToList();
        var forced = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in drifted)
        {
            forced.TryAdd(FederationPlanner.ActionIdFor(item.Type, item.Key), item.Detail);
            if (item.State == DriftState.Missing && item.Type != ResourceTypes.Application)
            {
                await inventory.RemoveAsync(environmentId, item.Type, item.Key, cancellationToken);
            }
            else if (item is { Type: ResourceTypes.SigningCertificate, LiveId: { Length: > 0 } live }
                     && await inventory.FindAsync(environmentId, item.Type, item.Key, cancellationToken) is { } certificate)
            {
                // Someone rotated the certificate in Entra: adopt the active one and carry it to IAM (the provider update).
                certificate.CloudId = live;
                await inventory.UpsertAsync(certificate, cancellationToken);
            }
        }

        if (drifted.Any(d => d.Type == ResourceTypes.Application && d.State == DriftState.Missing))
        {
            // The app is gone: everything recorded inside it went with it.
            foreach (var record in (await inventory.ListAsync(environmentId, cancellationToken)).Where(r => ResourceTypes.IsEntra(r.Type)))
            {
                await inventory.RemoveAsync(environmentId, record.Type, record.Key, cancellationToken);
                forced.TryAdd(FederationPlanner.ActionIdFor(record.Type, record.Key), "its enterprise application was deleted");
            }
        }

        return await ApplyAsync(actor, environmentId, null, forced, cancellationToken);
    }

    /// <summary>What teardown would delete (read-only).</summary>
    public async Task<Plan> PlanTeardownAsync(Guid environmentId, CancellationToken cancellationToken = default)
    {
        var environment = await GetEnvironmentAsync(environmentId, cancellationToken);
        return planner.PlanTeardown(environment, EnvironmentSpec.FromJson(environment.DesiredStateJson), await inventory.ListAsync(environmentId, cancellationToken));
    }

    /// <summary>
    /// Deletes everything the portal created for the environment, on both clouds, as a durable operation. The admin
    /// confirms by typing the environment's name. Running it again after a partial failure finishes the job.
    /// </summary>
    public async Task<Operation> TeardownAsync(PortalActor actor, Guid environmentId, string confirmName, CancellationToken cancellationToken = default)
    {
        const string action = "operation.teardown.start";
        await AuthorizeAsync(actor, action, environmentId, cancellationToken);
        var environment = await GetEnvironmentAsync(environmentId, cancellationToken);
        var errors = new Dictionary<string, string>();
        if (!string.Equals(confirmName?.Trim(), environment.Name, StringComparison.Ordinal))
        {
            errors["confirmName"] = $"Type the environment's name, '{environment.Name}', exactly, to confirm the teardown.";
        }

        if (await operations.FindActiveForEnvironmentAsync(environmentId, cancellationToken) is { } active)
        {
            errors["operation"] = $"Operation {active.Id} is still running for this environment. Wait for it or cancel it first.";
        }

        var plan = await PlanTeardownAsync(environmentId, cancellationToken);
        if (errors.Count > 0)
        {
            var failure = new PortalValidationException(errors);
            await RecordAsync(actor, action, environmentId, AuditOutcome.Failure, failure.Message, null, plan.Id.ToString(), cancellationToken);
            throw failure;
        }

        return await StartAsync(actor, action, plan, null, plan.Actions,
            operationId => new { planId = plan.Id, operationId, deletions = plan.Actions.Select(a => $"{a.ResourceType} {a.ResourceName}") }, cancellationToken);
    }

    public Task<Operation?> GetOperationAsync(Guid operationId, CancellationToken cancellationToken = default)
        => operations.FindAsync(operationId, cancellationToken);

    public Task<IReadOnlyList<Operation>> ListOperationsAsync(Guid environmentId, int take = 20, CancellationToken cancellationToken = default)
        => operations.ListForEnvironmentAsync(environmentId, take, cancellationToken);

    /// <summary>Asks a running operation to stop between actions.</summary>
    public async Task CancelAsync(PortalActor actor, Guid operationId, CancellationToken cancellationToken = default)
    {
        const string action = "operation.cancel";
        var operation = await operations.FindAsync(operationId, cancellationToken)
                        ?? throw new PortalNotFoundException($"There is no operation {operationId}.");
        await AuthorizeAsync(actor, action, operation.EnvironmentId, cancellationToken);
        await operations.RequestCancelAsync(operationId, cancellationToken);
        await RecordAsync(actor, action, operation.EnvironmentId, AuditOutcome.Success, null, new { operationId }, operationId.ToString(), cancellationToken);
    }

    private async Task AuthorizeAsync(PortalActor actor, string action, Guid environmentId, CancellationToken cancellationToken)
    {
        if (actor.IsAdmin)
        {
            return;
        }

        await RecordAsync(actor, action, environmentId, AuditOutcome.Denied, $"Requires the {PortalRoles.Admin} role.", null, null, cancellationToken);
        throw new PortalAuthorizationException(action, actor);
    }

    private Task RecordAsync(PortalActor actor, string action, Guid environmentId, AuditOutcome outcome, string? error, object? details, string? correlationId, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = outcome,
            EnvironmentId = environmentId,
            TargetType = "Environment",
            TargetId = environmentId.ToString(),
            ErrorMessage = error,
            CorrelationId = correlationId,
            Details = details,
        }, cancellationToken);
}
