using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Federation;

/// <summary>Checks a desired state before anything is planned or created; every message names the field and the fix.</summary>
public static class SpecValidator
{
    public static IReadOnlyDictionary<string, string> Validate(FederationEnvironment environment, EnvironmentSpec spec, DateTimeOffset? now = null)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);

        if (spec.App.CertificateValidityMonths is < 1 or > 36)
        {
            errors["app.certificateValidityMonths"] = "Choose 1 to 36 months: Entra issues signing certificates for at most three years.";
        }

        if (spec.App.SessionDurationSeconds is < 900 or > 43200)
        {
            errors["app.sessionDurationSeconds"] = "AWS accepts a SessionDuration of 900 to 43200 seconds (15 minutes to 12 hours).";
        }

        if (spec.App.DisplayName is { Length: > 120 })
        {
            errors["app.displayName"] = "Keep the application name under 120 characters.";
        }

        var providerName = FederationNames.ProviderName(environment, spec);
        if (!FederationNames.IsValidIamName(providerName, 128))
        {
            errors["samlProviderName"] = $"'{providerName}' is not a valid IAM SAML provider name: use 1–128 letters, digits or + = , . @ _ -.";
        }

        if (spec.UploadedMetadata is { } uploaded)
        {
            var check = MetadataUpload.Check(System.Text.Encoding.UTF8.GetBytes(uploaded), $"https://sts.windows.net/{environment.EntraTenantId}/", now ?? DateTimeOffset.UtcNow);
            if (!check.Accepted)
            {
                errors["uploadedMetadata"] = string.Join(" ", check.Problems);
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < spec.Roles.Count; i++)
        {
            var role = spec.Roles[i];
            var field = $"roles[{i}]";
            if (!FederationNames.IsValidIamName(role.Name, 64))
            {
                errors[$"{field}.name"] = $"'{role.Name}' is not a valid IAM role name: use 1–64 letters, digits or + = , . @ _ -.";
                continue;
            }

            if (!seen.Add(role.Name))
            {
                errors[$"{field}.name"] = $"Two roles are named '{role.Name}'. IAM role names are unique regardless of case.";
            }

            if (role.MaxSessionDurationSeconds is < 3600 or > 43200)
            {
                errors[$"{field}.maxSessionDurationSeconds"] = "MaxSessionDuration must be 3600 to 43200 seconds (1 to 12 hours).";
            }

            var arns = FederationNames.PolicyArns(role);
            if (role.Template == RoleTemplate.Custom && arns.Count == 0)
            {
                errors[$"{field}.managedPolicyArns"] = "A custom role needs at least one managed policy ARN, e.g. arn:aws:iam::aws:policy/ViewOnlyAccess.";
            }
            else if (arns.Count > 10)
            {
                errors[$"{field}.managedPolicyArns"] = "IAM attaches at most 10 managed policies to a role.";
            }
            else if (arns.FirstOrDefault(a => !a.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || !a.Contains(":policy/", StringComparison.Ordinal)) is { } bad)
            {
                errors[$"{field}.managedPolicyArns"] = $"'{bad}' is not a managed policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME).";
            }

            var value = FederationNames.RoleValue(environment, spec, role.Name);
            if (value.Length >= FederationNames.MaxRoleValueLength)
            {
                errors[$"{field}.name"] = $"Entra would not import this role: 'roleArn,providerArn' is {value.Length} characters and must be under {FederationNames.MaxRoleValueLength}. Shorten the role or the SAML provider name.";
            }
        }

        var userName = FederationNames.ProvisioningUserName(environment, spec);
        if (spec.Provisioning.Enabled && !FederationNames.IsValidIamName(userName, 64))
        {
            errors["provisioning.userName"] = $"'{userName}' is not a valid IAM user name: use 1–64 letters, digits or + = , . @ _ -.";
        }

        var pairs = new HashSet<(string, string)>();
        for (var i = 0; i < spec.Assignments.Count; i++)
        {
            var assignment = spec.Assignments[i];
            var field = $"assignments[{i}]";
            if (!Guid.TryParse(assignment.PrincipalId, out _))
            {
                errors[$"{field}.principalId"] = "Pick the user or group from the tenant: its object id is a GUID.";
            }

            if (!spec.Roles.Any(r => string.Equals(r.Name, assignment.RoleName, StringComparison.OrdinalIgnoreCase)))
            {
                errors[$"{field}.roleName"] = $"There is no role named '{assignment.RoleName}' in this environment.";
            }

            if (!pairs.Add((assignment.PrincipalId.ToLowerInvariant(), assignment.RoleName.ToLowerInvariant())))
            {
                errors[$"{field}"] = $"{assignment.PrincipalName ?? assignment.PrincipalId} is assigned to {assignment.RoleName} twice.";
            }
        }

        return errors;
    }
}
