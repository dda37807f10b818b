using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;

namespace FederationPortal.Core.Doctor.Checks;

/// <summary>
/// The provisioning user must be allowed iam:ListRoles (and iam:ListAccountAliases), as IAM itself evaluates it
/// (SimulatePrincipalPolicy on the user's ARN), or Entra's Test Connection fails.
/// </summary>
internal sealed class ProvisioningPermissionsCheck : IDoctorCheck
{
    public const string CheckId = "provisioning-permissions";

    public string Id => CheckId;

    public string Title => "The provisioning user may call iam:ListRoles";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        var userName = ProvisioningUserName(context);
        if (userName is null)
        {
            return [new(Id, DoctorStatus.Skipped, "Provisioning user", "Provisioning is off for this environment: the app roles are written directly.")];
        }

        var subject = $"IAM user {userName}";
        var user = await context.Iam.GetUserAsync(userName, cancellationToken);
        if (user is null)
        {
            return [new(Id, DoctorStatus.Failed, subject, $"The provisioning user {userName} does not exist: Entra's connector cannot read the roles.", "Apply the Provisioning stage again.")];
        }

        var results = await context.Iam.SimulatePrincipalPolicyAsync(user.Arn, ["iam:ListRoles", "iam:ListAccountAliases"], cancellationToken: cancellationToken);
        bool Allowed(string action) => results.Where(r => string.Equals(r.ActionName, action, StringComparison.OrdinalIgnoreCase)).All(r => r.IsAllowed) && results.Any(r => string.Equals(r.ActionName, action, StringComparison.OrdinalIgnoreCase));
        var ours = FederationNames.IsOurs(user.Tags, context.Environment);
        var fixWords = ours
            ? $"Give {userName} the portal's policy {FederationNames.ProvisioningPolicyName}: Allow iam:ListRoles and iam:ListAccountAliases on \"*\" (no S3 or EC2 actions are needed), then run Test Connection again."
            : $"{userName} is not tagged for this environment: have its owner allow it iam:ListRoles and iam:ListAccountAliases.";
        var fixId = ours ? DoctorFixes.ProvisioningPolicy : null;
        if (!Allowed("iam:ListRoles"))
        {
            var decision = results.FirstOrDefault(r => r.ActionName.Equals("iam:ListRoles", StringComparison.OrdinalIgnoreCase))?.Decision ?? "implicitDeny";
            return [new(Id, DoctorStatus.Failed, subject,
                $"IAM evaluates iam:ListRoles for {user.Arn} as {decision}: Entra's Test Connection fails and no role is imported. " +
                "Actions such as s3:ListBucket, s3:GetObject or ec2:DescribeInstances do not let the connector list roles.",
                fixWords, fixId, userName)];
        }

        if (!Allowed("iam:ListAccountAliases"))
        {
            return [new(Id, DoctorStatus.Warning, subject, $"{user.Arn} may list roles but not account aliases: the connector shows the account number instead of its alias.", fixWords, fixId, userName)];
        }

        return [new(Id, DoctorStatus.Passed, subject, $"IAM allows {user.Arn} iam:ListRoles and iam:ListAccountAliases (evaluated by SimulatePrincipalPolicy).")];
    }

    internal static string? ProvisioningUserName(DoctorContext context)
        => context.Inventory.FirstOrDefault(r => r.Type == ResourceTypes.User)?.Key
           ?? (context.Spec.Provisioning.Enabled ? FederationNames.ProvisioningUserName(context.Environment, context.Spec) : null);
}

/// <summary>Entra's provisioning job must exist, not be quarantined, and its last run must not have failed.</summary>
internal sealed class ProvisioningJobCheck : IDoctorCheck
{
    public const string CheckId = "provisioning-job";

    public string Id => CheckId;

    public string Title => "The provisioning job runs (not failed, not quarantined)";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        const string subject = "Provisioning job";
        var record = context.Find(ResourceTypes.SyncJob);
        if (record is null || context.App is null)
        {
            return [new(Id, DoctorStatus.Skipped, subject, context.Spec.Provisioning.Enabled
                ? "No provisioning job has been created yet (apply the Provisioning stage)."
                : "Provisioning is off for this environment.")];
        }

        EntraSynchronizationJob? job;
        try
        {
            job = await context.Entra.GetSynchronizationJobAsync(context.App.ServicePrincipalId, record.CloudId, cancellationToken);
        }
        catch (EntraServiceException ex) when (ex.IsNotFound)
        {
            job = null;
        }

        if (job is null)
        {
            return [new(Id, DoctorStatus.Failed, subject, $"The provisioning job {record.CloudId} no longer exists in Entra: new or changed roles are not imported.", "Apply the Provisioning stage again (it creates the job and hands over a new key).")];
        }

        const string fixWords = "Check the provisioning-permissions finding (the user needs iam:ListRoles), then apply the Provisioning stage again: it hands Entra a new access key, runs Test Connection and restarts the job.";
        if (job.Quarantined)
        {
            return [new(Id, DoctorStatus.Failed, subject, $"Entra has quarantined the provisioning job after repeated failures ({job.LastExecutionError ?? job.StatusCode}): it no longer runs, so role changes never reach Entra.", fixWords)];
        }

        if (string.Equals(job.LastExecutionState, "Failed", StringComparison.OrdinalIgnoreCase))
        {
            return [new(Id, DoctorStatus.Failed, subject, $"The last provisioning run failed{(job.LastExecutionEnded is { } ended ? $" at {ended:yyyy-MM-dd HH:mm} UTC" : string.Empty)}: {job.LastExecutionError ?? "no reason given"}.", fixWords)];
        }

        return [new(Id, DoctorStatus.Passed, subject, $"Job {job.Id} is {job.StatusCode ?? "present"}; last run {job.LastExecutionState ?? "not yet run"}.")];
    }
}
