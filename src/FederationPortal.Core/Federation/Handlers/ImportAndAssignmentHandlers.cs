using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Federation.Handlers;

/// <summary>
/// Hands an access key of the provisioning user to Entra's AWS connector and runs the role import. The secret key
/// exists only in memory between CreateAccessKey and the hand-over; the inventory keeps the key id only. A key made
/// by an attempt that stopped halfway (its secret lost) is deleted, never reused.
/// </summary>
internal sealed class ProvisioningHandler(
    IEntraDirectoryService entra,
    IAwsIam iam,
    TimeProvider clock,
    ProvisioningOptions options,
    ILogger<ProvisioningHandler> logger) : FederationHandler
{
    public override string Kind => ActionKinds.Provisioning;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        if (execution.Action.Change == ChangeKind.Delete)
        {
            return await DeleteJobAsync(execution, cancellationToken);
        }

        var (_, app) = await RequireAppAsync(execution, cancellationToken);
        var userName = FederationNames.ProvisioningUserName(environment, spec);
        await RequireAsync(execution, ResourceTypes.User, userName, "The provisioning user does not exist yet.", cancellationToken);

        var job = await EnsureJobAsync(execution, app, cancellationToken);
        var keyRecord = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.AccessKey, userName, cancellationToken);
        var liveKeys = await iam.ListAccessKeysAsync(userName, cancellationToken);
        if (keyRecord is not { CloudId.Length: > 0 } || !liveKeys.Any(k => k.AccessKeyId == keyRecord.CloudId))
        {
            await HandOverNewKeyAsync(execution, app, job, userName, liveKeys, cancellationToken);
        }

        // A run counts as ours only when it ends after the last run known before we started it.
        var previous = (await entra.GetSynchronizationJobAsync(app.ServicePrincipalId, job.Id, cancellationToken))?.LastExecutionEnded;
        await entra.StartSynchronizationJobAsync(app.ServicePrincipalId, job.Id, cancellationToken);
        var finished = await WaitForRunAsync(app, job.Id, previous, cancellationToken);
        if (finished.Quarantined || string.Equals(finished.LastExecutionState, "Failed", StringComparison.OrdinalIgnoreCase))
        {
            throw new ActionFailedException($"Entra's provisioning run failed{(finished.Quarantined ? " and the job is quarantined" : string.Empty)}: {finished.LastExecutionError ?? finished.StatusCode}. Check that the provisioning user can call iam:ListRoles.");
        }

        var appRoles = await entra.GetAppRolesAsync(app.ServicePrincipalId, cancellationToken);
        var missing = spec.Roles
            .Where(r => !appRoles.Any(a => a.IsEnabled && a.Value == FederationNames.RoleValue(environment, spec, r.Name)))
            .Select(r => r.Name)
            .ToList();
        if (missing.Count > 0)
        {
            throw new ActionFailedException(
                $"Entra's provisioning run did not import {string.Join(", ", missing)}. Entra imports a role only when its trust policy names exactly one SAML provider and 'roleArn,providerArn' is shorter than 240 characters; run the doctor to see which rule fails.");
        }

        await RecordAsync(execution, ResourceTypes.AppRoles, ResourceTypes.SingletonKey, "imported", new { roles = spec.Roles.Select(r => r.Name).ToList() }, cancellationToken);
        return new ActionResult($"Provisioning run finished ({finished.LastExecutionState}); {spec.Roles.Count} role(s) are app roles of the enterprise application.", job.Id);
    }

    private async Task<ActionResult> DeleteJobAsync(ActionExecution execution, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var job = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.SyncJob, ResourceTypes.SingletonKey, cancellationToken);
        var app = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken);
        if (job is { CloudId.Length: > 0 } && AppAttributes.Of(app) is { } attributes)
        {
            await IgnoreMissingAsync(() => entra.DeleteSynchronizationJobAsync(attributes.ServicePrincipalId, job.CloudId, cancellationToken));
        }

        await execution.Inventory.RemoveAsync(environment.Id, ResourceTypes.SyncJob, ResourceTypes.SingletonKey, cancellationToken);
        await execution.Inventory.RemoveAsync(environment.Id, ResourceTypes.AppRoles, ResourceTypes.SingletonKey, cancellationToken);
        return new ActionResult(job is null ? "No provisioning job to delete." : $"Deleted provisioning job {job.CloudId}.", job?.CloudId);
    }

    private async Task<EntraSynchronizationJob> EnsureJobAsync(ActionExecution execution, AppAttributes app, CancellationToken cancellationToken)
    {
        var record = await execution.Inventory.FindAsync(execution.Environment.Id, ResourceTypes.SyncJob, ResourceTypes.SingletonKey, cancellationToken);
        if (record is { CloudId.Length: > 0 } && await entra.GetSynchronizationJobAsync(app.ServicePrincipalId, record.CloudId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var templates = await entra.ListSynchronizationTemplateIdsAsync(app.ServicePrincipalId, cancellationToken);
        if (!templates.Contains(EntraWellKnown.AwsSynchronizationTemplateId))
        {
            throw new ActionFailedException("The enterprise application offers no AWS provisioning template: was it created from the AWS Single-Account Access gallery app?");
        }

        var job = await entra.CreateSynchronizationJobAsync(app.ServicePrincipalId, EntraWellKnown.AwsSynchronizationTemplateId, cancellationToken);
        await RecordAsync(execution, ResourceTypes.SyncJob, ResourceTypes.SingletonKey, job.Id, null, cancellationToken);
        return job;
    }

    private async Task HandOverNewKeyAsync(ActionExecution execution, AppAttributes app, EntraSynchronizationJob job, string userName, IReadOnlyList<IamAccessKeyMetadata> liveKeys, CancellationToken cancellationToken)
    {
        foreach (var stale in liveKeys)
        {
            // Its secret is gone (an earlier attempt stopped before handing it over): a key nobody can use is a key to remove.
            await iam.DeleteAccessKeyAsync(userName, stale.AccessKeyId, cancellationToken);
        }

        var key = await iam.CreateAccessKeyAsync(userName, cancellationToken);
        try
        {
            await entra.ValidateSynchronizationCredentialsAsync(app.ServicePrincipalId, job.Id, key.AccessKeyId, key.SecretAccessKey, cancellationToken);
        }
        catch (EntraServiceException ex)
        {
            throw new ActionFailedException(
                $"Entra's Test Connection with access key {key.AccessKeyId} failed: {ex.Message} The provisioning user needs iam:ListRoles and iam:ListAccountAliases (a console password is not an access key).", ex);
        }

        await entra.SaveSynchronizationSecretsAsync(app.ServicePrincipalId, key.AccessKeyId, key.SecretAccessKey, cancellationToken);

        // Recorded only once Entra holds it: a key recorded before the hand-over finished would be taken as handed
        // over by the next attempt, which would then run the job without credentials, again and again.
        await RecordAsync(execution, ResourceTypes.AccessKey, userName, key.AccessKeyId, null, cancellationToken);
        logger.LogInformation("Handed access key {AccessKeyId} of {UserName} to Entra's provisioning job {JobId}", key.AccessKeyId, userName, job.Id);
    }

    private async Task<EntraSynchronizationJob> WaitForRunAsync(AppAttributes app, string jobId, DateTimeOffset? previousEnd, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.RunTimeout;
        while (true)
        {
            var job = await entra.GetSynchronizationJobAsync(app.ServicePrincipalId, jobId, cancellationToken)
                      ?? throw new ActionFailedException("The provisioning job disappeared while it ran.");
            if (job.LastExecutionEnded is { } ended && (previousEnd is null || ended > previousEnd))
            {
                return job;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new ActionFailedException($"Entra's provisioning run did not finish within {options.RunTimeout.TotalMinutes:0} minutes. Run this stage again later; nothing is lost.");
            }

            await Task.Delay(options.PollInterval, clock, cancellationToken);
        }
    }
}

/// <summary>Writes the AWS roles into the service principal's app roles directly, for tenants that do not use provisioning.</summary>
internal sealed class DirectAppRolesHandler(IEntraDirectoryService entra) : FederationHandler
{
    public override string Kind => ActionKinds.AppRoles;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var (_, app) = await RequireAppAsync(execution, cancellationToken);
        var current = (await entra.GetAppRolesAsync(app.ServicePrincipalId, cancellationToken)).ToList();
        var wanted = spec.Roles.Select(r => FederationNames.RoleValue(environment, spec, r.Name)).ToList();
        var ours = current.Where(r => r.Value is not null && r.Value.StartsWith($"arn:aws:iam::{environment.AwsAccountId}:role/", StringComparison.Ordinal)).ToList();

        var next = current.Where(r => !ours.Contains(r)).ToList();
        foreach (var value in wanted)
        {
            var existing = ours.FirstOrDefault(r => r.Value == value);
            var (roleArn, providerArn) = (value[..value.IndexOf(',')], value[(value.IndexOf(',') + 1)..]);
            next.Add(existing is null ? EntraAppRole.ForAwsRole(StableId(environment.Id, value), roleArn, providerArn) : existing with { IsEnabled = true });
        }

        var retired = ours.Where(r => !wanted.Contains(r.Value!)).ToList();
        if (retired.Any(r => r.IsEnabled))
        {
            // Entra refuses to remove an enabled app role: disable first, remove in a second call.
            await entra.SetAppRolesAsync(app.ServicePrincipalId, [.. next, .. retired.Select(r => r with { IsEnabled = false })], cancellationToken);
        }

        await entra.SetAppRolesAsync(app.ServicePrincipalId, next, cancellationToken);
        await RecordAsync(execution, ResourceTypes.AppRoles, ResourceTypes.SingletonKey, "direct", new { roles = spec.Roles.Select(r => r.Name).ToList() }, cancellationToken);
        return new ActionResult($"{wanted.Count} AWS role(s) are app roles; {retired.Count} retired.");
    }

    private static Guid StableId(Guid environmentId, string value)
        => new(SHA256.HashData(Encoding.UTF8.GetBytes($"{environmentId}|{value}")).AsSpan(0, 16));
}

/// <summary>
/// Assigns a user or group to the app role of an AWS role (or removes that assignment). One handler instance serves a
/// whole operation, so the service principal's app roles and existing assignments are read once per operation rather
/// than once per assignment (a setup with hundreds of assignments would otherwise repeat them hundreds of times).
/// </summary>
internal sealed class AssignmentHandler(IEntraDirectoryService entra) : FederationHandler
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<EntraAppRole>>>> appRoles = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<EntraAppRoleAssignment>>>> existingAssignments = new();

    public override string Kind => ActionKinds.Assignment;

    private static async Task<T> OnceAsync<T>(System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<T>>> cache, string key, Func<Task<T>> read)
    {
        var lazy = cache.GetOrAdd(key, _ => new Lazy<Task<T>>(read));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            cache.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, lazy)); // a failed read is not kept
            throw;
        }
    }

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var key = ActionKinds.AssignmentKeyOf(execution.Action.ActionId);
        if (execution.Action.Change == ChangeKind.Delete)
        {
            var record = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.Assignment, key, cancellationToken);
            var appRecord = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken);
            if (record is { CloudId.Length: > 0 } && AppAttributes.Of(appRecord) is { } attributes)
            {
                await IgnoreMissingAsync(() => entra.RemoveAppRoleAssignmentAsync(attributes.ServicePrincipalId, record.CloudId, cancellationToken));
            }

            await execution.Inventory.RemoveAsync(environment.Id, ResourceTypes.Assignment, key, cancellationToken);
            return new ActionResult($"Removed assignment {key}.");
        }

        var (_, app) = await RequireAppAsync(execution, cancellationToken);
        var assignment = spec.Assignments.First(a => string.Equals(FederationPlanner.AssignmentKey(a), key, StringComparison.OrdinalIgnoreCase));
        var value = FederationNames.RoleValue(environment, spec, assignment.RoleName);
        var roles = await OnceAsync(appRoles, app.ServicePrincipalId, () => entra.GetAppRolesAsync(app.ServicePrincipalId, CancellationToken.None));
        var appRole = roles.FirstOrDefault(r => r.Value == value && r.IsEnabled);
        if (appRole is null)
        {
            // Not there when first read: read once more in case the import finished since.
            appRoles.TryRemove(app.ServicePrincipalId, out _);
            appRole = (await entra.GetAppRolesAsync(app.ServicePrincipalId, cancellationToken)).FirstOrDefault(r => r.Value == value && r.IsEnabled)
                      ?? throw new ActionFailedException($"Role {assignment.RoleName} is not an app role of the enterprise application yet: apply the Provisioning stage first (it imports the roles).");
        }

        var existing = (await OnceAsync(existingAssignments, app.ServicePrincipalId, () => entra.ListAppRoleAssignmentsAsync(app.ServicePrincipalId, CancellationToken.None)))
            .FirstOrDefault(a => a.AppRoleId == appRole.Id && string.Equals(a.PrincipalId, assignment.PrincipalId, StringComparison.OrdinalIgnoreCase));
        var made = existing ?? await entra.AssignAppRoleAsync(app.ServicePrincipalId, assignment.PrincipalId, appRole.Id, cancellationToken);
        await RecordAsync(execution, ResourceTypes.Assignment, key, made.Id, new { assignment.PrincipalId, assignment.PrincipalType, assignment.PrincipalName, assignment.RoleName }, cancellationToken);
        return new ActionResult($"{assignment.PrincipalName ?? assignment.PrincipalId} may sign in as {assignment.RoleName}.", made.Id);
    }
}
