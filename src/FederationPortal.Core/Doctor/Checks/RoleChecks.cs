using FederationPortal.Core.Aws;
using FederationPortal.Core.Federation;

namespace FederationPortal.Core.Doctor.Checks;

/// <summary>Each AWS app role must name a role that exists and this environment's provider, which must exist.</summary>
internal sealed class AppRolesCheck : IDoctorCheck
{
    public const string CheckId = "app-roles";

    public string Id => CheckId;

    public string Title => "App roles point at existing roles and this environment's provider";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        if (context.ServicePrincipal is null)
        {
            return [new(Id, DoctorStatus.Skipped, "App roles", "The app's service principal could not be read (or was never created).")];
        }

        var findings = new List<DoctorFinding>();
        var aws = context.AppRoles.Where(r => r.IsEnabled && DoctorParsing.LooksLikeAwsRoleValue(r.Value)).ToList();
        foreach (var appRole in aws)
        {
            var subject = $"App role {appRole.DisplayName}";
            var fix = context.Spec.Provisioning.Enabled
                ? "Correct the role or provider, then run the provisioning stage again; or let the portal correct the app role now."
                : "Let the portal point the app role at the right role and provider (or disable it when the role is gone).";
            if (DoctorParsing.ParseRoleValue(appRole.Value) is not { } pair)
            {
                findings.Add(new(Id, DoctorStatus.Failed, subject, $"Its value '{appRole.Value}' is not 'roleArn,providerArn': AWS answers 'Your request included an invalid SAML response'.", fix, DoctorFixes.AppRoles, appRole.Id.ToString()));
                continue;
            }

            var problems = new List<string>();
            if (DoctorParsing.AccountOf(pair.RoleArn) != context.Environment.AwsAccountId)
            {
                problems.Add($"role {pair.RoleArn} is in another AWS account than {context.Environment.AwsAccountId}");
            }
            else if (await RoleExistsAsync(context, DoctorParsing.RoleName(pair.RoleArn), cancellationToken) is not { } role || role.Arn != pair.RoleArn)
            {
                problems.Add($"role {pair.RoleArn} does not exist in IAM (wrong name or path, or deleted)");
            }

            if (!string.Equals(pair.ProviderArn, context.ProviderArn, StringComparison.Ordinal))
            {
                problems.Add($"it names provider {pair.ProviderArn}, not this environment's {context.ProviderArn} (AWS: 'Specified provider doesn't exist' or 'Not authorized')");
            }
            else if (context.Provider is null)
            {
                problems.Add($"the provider {pair.ProviderArn} does not exist in IAM (AWS: 'Specified provider doesn't exist')");
            }

            findings.Add(problems.Count == 0
                ? new(Id, DoctorStatus.Passed, subject, $"Points at {pair.RoleArn} through {pair.ProviderArn}.")
                : new(Id, DoctorStatus.Failed, subject, $"Users given this app role cannot sign in: {string.Join("; ", problems)}.", fix, DoctorFixes.AppRoles, appRole.Id.ToString()));
        }

        foreach (var role in context.Spec.Roles)
        {
            var value = FederationNames.RoleValue(context.Environment, context.Spec, role.Name);
            if (!aws.Any(a => a.Value == value))
            {
                findings.Add(new(Id, DoctorStatus.Warning, $"Role {role.Name}",
                    $"{role.Name} is not an enabled app role yet: nobody can be assigned to it.",
                    context.Spec.Provisioning.Enabled ? "Run the Provisioning stage (Entra imports the roles); see the trust policy and ARN length checks if it stays missing." : "Apply the Provisioning stage (it writes the app roles)."));
            }
        }

        return findings.Count > 0 ? findings : [new(Id, DoctorStatus.Skipped, "App roles", "There are no AWS roles and no AWS app roles yet.")];
    }

    private static async Task<IamRole?> RoleExistsAsync(DoctorContext context, string name, CancellationToken cancellationToken)
        => context.Roles.TryGetValue(name, out var known) ? known : await context.Iam.GetRoleAsync(name, cancellationToken);
}

/// <summary>
/// A role's trust policy must allow sts:AssumeRoleWithSAML for this environment's provider alone, under SAML:aud; a
/// policy naming more than one provider also keeps Entra's connector from importing the role.
/// </summary>
internal sealed class TrustPolicyCheck : IDoctorCheck
{
    public const string CheckId = "trust-policy";

    public string Id => CheckId;

    public string Title => "Trust policies allow AssumeRoleWithSAML for this provider only";

    public Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        var findings = new List<DoctorFinding>();
        foreach (var (name, role) in context.Roles)
        {
            var subject = $"Role {name}";
            if (role is null)
            {
                findings.Add(new(Id, DoctorStatus.Failed, subject,
                    $"Role {name} does not exist in IAM (deleted outside the portal?): signing in as it fails with 'Not authorized to perform sts:AssumeRoleWithSAML'.",
                    "Apply the Role creation stage again (it recreates the role)."));
                continue;
            }

            var problems = DoctorParsing.TrustPolicyProblems(role.AssumeRolePolicyDocument, context.ProviderArn, FederationNames.AwsSignInUrl);
            if (problems.Count == 0)
            {
                findings.Add(new(Id, DoctorStatus.Passed, subject, $"Trusts {context.ProviderArn} alone for sts:AssumeRoleWithSAML with SAML:aud {FederationNames.AwsSignInUrl}."));
                continue;
            }

            var ours = FederationNames.IsOurs(role.Tags, context.Environment);
            findings.Add(new(Id, DoctorStatus.Failed, subject, string.Join(" ", problems),
                ours
                    ? $"Replace the trust policy with the one the portal sets: Allow sts:AssumeRoleWithSAML for {context.ProviderArn} when SAML:aud is {FederationNames.AwsSignInUrl}."
                    : $"The role is not tagged for this environment, so the portal leaves it alone: have its owner set the trust policy to Allow sts:AssumeRoleWithSAML for {context.ProviderArn} when SAML:aud is {FederationNames.AwsSignInUrl}.",
                ours ? DoctorFixes.TrustPolicy : null, name));
        }

        IReadOnlyList<DoctorFinding> result = findings.Count > 0 ? findings : [new(Id, DoctorStatus.Skipped, "Roles", "The environment has no roles yet.")];
        return Task.FromResult(result);
    }
}

/// <summary>Entra imports a role only when <c>roleArn,providerArn</c> is shorter than 240 characters.</summary>
internal sealed class RoleValueLengthCheck : IDoctorCheck
{
    public const string CheckId = "role-value-length";

    public string Id => CheckId;

    public string Title => "Role and provider ARNs together are shorter than 240 characters";

    public Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<DoctorFinding> result = context.Spec.Roles.Count == 0
            ? [new(Id, DoctorStatus.Skipped, "Roles", "The environment has no roles yet.")]
            : context.Spec.Roles.Select(role =>
            {
                // The live ARN counts when the role exists (a path makes it longer than the name alone).
                var roleArn = context.Roles.TryGetValue(role.Name, out var live) && live is not null ? live.Arn : FederationNames.RoleArn(context.Environment, role.Name);
                var length = $"{roleArn},{context.ProviderArn}".Length;
                return length < FederationNames.MaxRoleValueLength
                    ? new DoctorFinding(Id, DoctorStatus.Passed, $"Role {role.Name}", $"'roleArn,providerArn' is {length} characters.")
                    : new DoctorFinding(Id, DoctorStatus.Failed, $"Role {role.Name}",
                        $"'roleArn,providerArn' is {length} characters; Entra's provisioning connector silently skips roles whose pair is {FederationNames.MaxRoleValueLength} or longer, so the role never becomes an app role.",
                        $"Shorten the role name or the SAML provider name (or the role's path) until the pair is under {FederationNames.MaxRoleValueLength} characters.");
            }).ToList();
        return Task.FromResult(result);
    }
}
