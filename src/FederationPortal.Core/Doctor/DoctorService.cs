using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Doctor;

/// <summary>
/// The doctor: runs every check against an environment's live state (read once) and explains each failure with its
/// fix; applies a fix the portal can make (Admin only, audited as <c>doctor.fix.&lt;id&gt;</c>, failures included).
/// </summary>
public sealed class DoctorService(
    IEnumerable<IDoctorCheck> checks,
    IEnumerable<IDoctorFix> fixes,
    IEnvironmentStore environments,
    IResourceInventory inventory,
    IEntraDirectoryService entra,
    IAwsIam iam,
    IAuditTrail audit,
    DoctorOptions options,
    TimeProvider clock,
    ILogger<DoctorService> logger)
{
    private readonly IReadOnlyList<IDoctorCheck> allChecks = checks.ToList();
    private readonly IReadOnlyDictionary<string, IDoctorFix> allFixes = fixes.ToDictionary(f => f.Id, StringComparer.Ordinal);

    /// <summary>Every check, in the order they run.</summary>
    public IReadOnlyList<IDoctorCheck> Checks => allChecks;

    /// <summary>Runs every check (read-only); reports progress after loading and after each check.</summary>
    public async Task<DoctorReport> RunAsync(Guid environmentId, IProgress<DoctorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        progress?.Report(new DoctorProgress(0, allChecks.Count + 1, "Reading both clouds"));
        var context = await LoadAsync(environmentId, cancellationToken);
        var results = new List<DoctorCheckResult>();
        foreach (var check in allChecks)
        {
            progress?.Report(new DoctorProgress(results.Count + 1, allChecks.Count + 1, check.Title));
            results.Add(await RunOneAsync(check, context, cancellationToken));
        }

        progress?.Report(new DoctorProgress(allChecks.Count + 1, allChecks.Count + 1, "Done"));
        logger.LogInformation("Doctor ran {Count} checks for {EnvironmentId}: {Failed} failed", results.Count, environmentId, results.Count(r => r.Status == DoctorStatus.Failed));
        return new DoctorReport(environmentId, clock.GetUtcNow(), results, context.LoadProblems);
    }

    /// <summary>Runs one check by its id.</summary>
    public async Task<DoctorCheckResult> RunCheckAsync(Guid environmentId, string checkId, CancellationToken cancellationToken = default)
    {
        var check = allChecks.FirstOrDefault(c => c.Id == checkId) ?? throw new PortalNotFoundException($"There is no doctor check '{checkId}'.");
        return await RunOneAsync(check, await LoadAsync(environmentId, cancellationToken), cancellationToken);
    }

    /// <summary>Applies the automatic fix <paramref name="fixId"/> to <paramref name="target"/>, as a finding named them. Admin only; audited.</summary>
    public async Task<DoctorFixResult> FixAsync(PortalActor actor, Guid environmentId, string fixId, string? target = null, CancellationToken cancellationToken = default)
    {
        var action = $"doctor.fix.{fixId}";
        if (!actor.IsAdmin)
        {
            await RecordAsync(actor, action, environmentId, target, AuditOutcome.Denied, $"Requires the {PortalRoles.Admin} role.", null, cancellationToken);
            throw new PortalAuthorizationException(action, actor);
        }

        if (!allFixes.TryGetValue(fixId, out var fix))
        {
            await RecordAsync(actor, action, environmentId, target, AuditOutcome.Failure, $"There is no doctor fix '{fixId}'.", null, cancellationToken);
            throw new PortalNotFoundException($"There is no doctor fix '{fixId}'.");
        }

        try
        {
            var context = await LoadAsync(environmentId, cancellationToken);
            var summary = await fix.ApplyAsync(context, target, cancellationToken);
            await RecordAsync(actor, action, environmentId, target, AuditOutcome.Success, null, summary, cancellationToken);
            logger.LogInformation("Doctor fix {FixId} applied to {Target} for {EnvironmentId}", fixId, target, environmentId);
            return new DoctorFixResult(fixId, target, summary);
        }
        catch (Exception ex) when (ex is DoctorFixException or AwsServiceException or EntraServiceException or PortalNotFoundException or HttpRequestException)
        {
            var message = ex switch
            {
                AwsServiceException aws => CloudErrors.Explain(aws),
                EntraServiceException graph => CloudErrors.Explain(graph),
                _ => ex.Message,
            };
            await RecordAsync(actor, action, environmentId, target, AuditOutcome.Failure, message, null, cancellationToken);
            throw ex is DoctorFixException ? ex : new DoctorFixException(message, ex);
        }
    }

    private async Task<DoctorContext> LoadAsync(Guid environmentId, CancellationToken cancellationToken)
    {
        var environment = await environments.FindAsync(environmentId, cancellationToken)
                          ?? throw new PortalNotFoundException($"There is no environment {environmentId}.");
        return await DoctorContext.LoadAsync(environment, await inventory.ListAsync(environmentId, cancellationToken), options, clock.GetUtcNow(), entra, iam, environments, inventory, cancellationToken);
    }

    private async Task<DoctorCheckResult> RunOneAsync(IDoctorCheck check, DoctorContext context, CancellationToken cancellationToken)
    {
        try
        {
            return new DoctorCheckResult(check.Id, check.Title, await check.RunAsync(context, cancellationToken));
        }
        catch (Exception ex) when (ex is AwsServiceException or EntraServiceException or HttpRequestException)
        {
            var message = ex switch
            {
                AwsServiceException aws => CloudErrors.Explain(aws),
                EntraServiceException graph => CloudErrors.Explain(graph),
                _ => ex.Message,
            };
            logger.LogWarning("Doctor check {CheckId} could not run for {EnvironmentId}: {Message}", check.Id, context.Environment.Id, message);
            return new DoctorCheckResult(check.Id, check.Title, [new DoctorFinding(check.Id, DoctorStatus.Warning, "Check", $"The check could not run: {message}", "Run the checks again; if it persists, check the portal's permissions (Connect stage preflight).")]);
        }
    }

    private Task RecordAsync(PortalActor actor, string action, Guid environmentId, string? target, AuditOutcome outcome, string? error, string? summary, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = outcome,
            EnvironmentId = environmentId,
            TargetType = "Environment",
            TargetId = target ?? environmentId.ToString(),
            ErrorMessage = error,
            Details = new { target, summary },
        }, cancellationToken);
}
