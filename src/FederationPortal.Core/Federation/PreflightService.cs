using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;

namespace FederationPortal.Core.Federation;

/// <summary>One preflight check: a connection or a permission, with what to do when it fails.</summary>
public sealed record PreflightCheck(string Cloud, string Name, bool Passed, string Detail, string? Fix = null);

/// <summary>
/// The Connect stage: can the portal reach both clouds with its credentials, and do they carry every permission
/// setup needs? AWS permissions are evaluated by IAM itself (SimulatePrincipalPolicy), not guessed.
/// </summary>
public sealed class PreflightService(IEntraDirectoryService entra, IAwsIam iam, IAwsSts sts)
{
    /// <summary>The Microsoft Graph application permissions the portal needs (Application.ReadWrite.OwnedBy may stand for Application.ReadWrite.All).</summary>
    public static readonly IReadOnlyList<string> RequiredGraphPermissions =
    [
        "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Policy.Read.All", "Policy.ReadWrite.ApplicationConfiguration",
        "Synchronization.ReadWrite.All", "AuditLog.Read.All", "User.Read.All", "Group.Read.All",
    ];

    /// <summary>Every IAM action the portal calls during setup, operation and teardown.</summary>
    public static readonly IReadOnlyList<string> RequiredAwsActions =
    [
        "iam:CreateSAMLProvider", "iam:UpdateSAMLProvider", "iam:GetSAMLProvider", "iam:DeleteSAMLProvider", "iam:TagSAMLProvider",
        "iam:CreateRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:TagRole",
        "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:DeleteRolePolicy",
        "iam:CreateUser", "iam:GetUser", "iam:DeleteUser", "iam:TagUser", "iam:PutUserPolicy", "iam:DeleteUserPolicy", "iam:ListUserPolicies",
        "iam:CreateAccessKey", "iam:ListAccessKeys", "iam:DeleteAccessKey", "iam:ListRoles", "iam:SimulatePrincipalPolicy",
    ];

    public async Task<IReadOnlyList<PreflightCheck>> RunAsync(string expectedAccountId, CancellationToken cancellationToken = default)
    {
        var checks = new List<PreflightCheck>();
        try
        {
            var template = await entra.GetAwsTemplateAsync(cancellationToken);
            checks.Add(new("Entra", "Microsoft Graph", true, $"Connected; the gallery template '{template.DisplayName}' is available."));
            var granted = (await entra.GetGrantedApplicationPermissionsAsync(cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var missing = RequiredGraphPermissions
                .Where(p => !granted.Contains(p) && !(p == "Application.ReadWrite.All" && granted.Contains("Application.ReadWrite.OwnedBy")))
                .ToList();
            checks.Add(missing.Count == 0
                ? new("Entra", "Graph permissions", true, $"All {RequiredGraphPermissions.Count} application permissions the portal uses are granted.")
                : new("Entra", "Graph permissions", false, $"Not granted: {string.Join(", ", missing)}.",
                    "In Entra admin center > App registrations > the portal's app > API permissions, add these Microsoft Graph application permissions and grant admin consent."));
            var users = await entra.ListUsersAsync(cancellationToken: cancellationToken);
            checks.Add(new("Entra", "Directory read", true, $"Can read the directory ({users.Count} users)."));
        }
        catch (EntraServiceException ex)
        {
            checks.Add(new("Entra", "Microsoft Graph", false, $"{ex.Code}: {ex.Message}",
                "Grant the portal's app registration Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All, Policy.Read.All, Policy.ReadWrite.ApplicationConfiguration, Synchronization.ReadWrite.All, AuditLog.Read.All, User.Read.All and Group.Read.All, with admin consent."));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            checks.Add(new("Entra", "Microsoft Graph", false, ex.Message, "Check Portal:Entra (tenant, client id, secret or certificate) and the network."));
        }

        try
        {
            var identity = await sts.GetCallerIdentityAsync(cancellationToken);
            var sameAccount = identity.Account == expectedAccountId;
            checks.Add(new("AWS", "Credentials", sameAccount, $"Signed in as {identity.Arn}.",
                sameAccount ? null : $"These credentials belong to account {identity.Account}, not {expectedAccountId}: use credentials of the environment's account."));
            if (sameAccount && identity.Arn.EndsWith(":root", StringComparison.Ordinal))
            {
                checks.Add(new("AWS", "IAM permissions", true, "These are the account's root credentials: every action is allowed.",
                    "AWS advises against using root credentials: create an IAM user or role for the portal with the actions it needs."));
            }
            else if (sameAccount)
            {
                var results = await iam.SimulatePrincipalPolicyAsync(PolicySource(identity.Arn), RequiredAwsActions, cancellationToken: cancellationToken);
                var denied = results.Where(r => !r.IsAllowed).Select(r => r.ActionName).Distinct().ToList();
                checks.Add(denied.Count == 0
                    ? new("AWS", "IAM permissions", true, $"All {RequiredAwsActions.Count} IAM actions the portal uses are allowed.")
                    : new("AWS", "IAM permissions", false, $"Not allowed: {string.Join(", ", denied)}.", "Attach a policy allowing these actions to the portal's AWS identity."));
            }
        }
        catch (AwsServiceException ex)
        {
            checks.Add(new("AWS", "Credentials", false, $"{ex.Code}: {ex.AwsMessage}", "Check Portal:Aws (region, profile or access key) in Settings."));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            checks.Add(new("AWS", "Credentials", false, ex.Message, "Check Portal:Aws and the network."));
        }

        return checks;
    }

    /// <summary>SimulatePrincipalPolicy takes a user, group or role ARN: an assumed-role session is simulated as its role.</summary>
    internal static string PolicySource(string callerArn)
    {
        // arn:aws:sts::123456789012:assumed-role/RoleName/session -> arn:aws:iam::123456789012:role/RoleName
        var parts = callerArn.Split(':', 6);
        if (parts.Length == 6 && parts[2] == "sts" && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var role = parts[5].Split('/')[1];
            return $"arn:aws:iam::{parts[4]}:role/{role}";
        }

        return callerArn;
    }
}
