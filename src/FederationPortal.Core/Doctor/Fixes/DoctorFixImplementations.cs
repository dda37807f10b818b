using FederationPortal.Core.Doctor.Checks;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;

namespace FederationPortal.Core.Doctor.Fixes;

/// <summary>Downloads the app's federation metadata (signature checked) and puts it into the IAM SAML provider, as the Metadata exchange stage does.</summary>
internal sealed class UploadMetadataFix : IDoctorFix
{
    public string Id => DoctorFixes.UploadMetadata;

    public async Task<string> ApplyAsync(DoctorContext context, string? target, CancellationToken cancellationToken = default)
    {
        var app = DoctorFixes.RequireApp(context);
        var metadata = await context.Entra.GetFederationMetadataAsync(app.AppId, cancellationToken);
        if (metadata.IsSigned && !metadata.SignatureValid)
        {
            throw new DoctorFixException("The federation metadata's signature does not verify: nothing was sent to AWS.");
        }

        var active = metadata.SigningCertificates.Where(c => !c.IsExpired).ToList();
        if (active.Count == 0)
        {
            throw new DoctorFixException("Every certificate in the federation metadata has expired: rotate the signing certificate first.");
        }

        var name = FederationNames.ProviderName(context.Environment, context.Spec);
        var arn = context.ProviderArn;
        string verb;
        if (await context.Iam.GetSamlProviderAsync(arn, cancellationToken) is { } existing)
        {
            if (!FederationNames.IsOurs(existing.Tags, context.Environment))
            {
                throw new DoctorFixException($"{arn} is not tagged for this environment: the portal leaves it alone.");
            }

            await context.Iam.UpdateSamlProviderAsync(arn, metadata.Xml, cancellationToken);
            verb = "Updated";
        }
        else
        {
            arn = await context.Iam.CreateSamlProviderAsync(name, metadata.Xml, FederationNames.Tags(context.Environment), cancellationToken);
            verb = "Created";
        }

        await DoctorFixes.RecordAsync(context, ResourceTypes.SamlProvider, name, arn, new { entityId = metadata.EntityId, thumbprints = active.Select(c => c.Thumbprint).ToList() }, cancellationToken);
        return $"{verb} {arn} with the app's current metadata (certificates {string.Join(", ", active.Select(c => c.Thumbprint))}).";
    }
}

/// <summary>Assigns the portal's claims mapping policy (created anew when missing or altered) as the app's only one.</summary>
internal sealed class ClaimsPolicyFix : IDoctorFix
{
    public string Id => DoctorFixes.ClaimsPolicy;

    public async Task<string> ApplyAsync(DoctorContext context, string? target, CancellationToken cancellationToken = default)
    {
        var app = DoctorFixes.RequireApp(context);
        var name = FederationNames.ClaimsPolicyName(context.Environment);
        var definition = FederationPlanner.ClaimsDefinition(context.Spec);
        var record = context.Find(ResourceTypes.ClaimsPolicy);
        var all = await context.Entra.ListAllClaimsMappingPoliciesAsync(cancellationToken);
        var ours = record is null ? null : all.FirstOrDefault(p => p.Id == record.CloudId);
        string? retired = null;
        if (ours is not null && ClaimsPolicyCheck.Problems(ours).Count > 0)
        {
            retired = ours.Id;
            ours = null;
        }

        var policyId = ours?.Id ?? await context.Entra.CreateClaimsMappingPolicyAsync(name, definition, cancellationToken);
        foreach (var assigned in await context.Entra.ListClaimsMappingPoliciesAsync(app.ServicePrincipalId, cancellationToken))
        {
            if (assigned.Id != policyId)
            {
                await context.Entra.RemoveClaimsMappingPolicyAsync(app.ServicePrincipalId, assigned.Id, cancellationToken);
            }
        }

        if (!(await context.Entra.ListClaimsMappingPoliciesAsync(app.ServicePrincipalId, cancellationToken)).Any(p => p.Id == policyId))
        {
            await context.Entra.AssignClaimsMappingPolicyAsync(app.ServicePrincipalId, policyId, cancellationToken);
        }

        await DoctorFixes.RecordAsync(context, ResourceTypes.ClaimsPolicy, ResourceTypes.SingletonKey, policyId, new { displayName = name }, cancellationToken);
        if (retired is not null)
        {
            // The portal's own policy was altered: it is replaced, not left behind as an orphan.
            await context.Entra.DeleteClaimsMappingPolicyAsync(retired, cancellationToken);
        }

        return $"Claims mapping policy '{name}' ({policyId}) is the app's only one{(ours is null ? " (created anew)" : string.Empty)}.";
    }
}

/// <summary>Points a broken AWS app role at the right role and provider, or disables it when its role is not in the desired state.</summary>
internal sealed class AppRolesFix : IDoctorFix
{
    public string Id => DoctorFixes.AppRoles;

    public async Task<string> ApplyAsync(DoctorContext context, string? target, CancellationToken cancellationToken = default)
    {
        var app = DoctorFixes.RequireApp(context);
        var roles = (await context.Entra.GetAppRolesAsync(app.ServicePrincipalId, cancellationToken)).ToList();
        var index = roles.FindIndex(r => r.Id.ToString() == target);
        if (index < 0)
        {
            throw new DoctorFixException($"The app role {target} no longer exists: run the checks again.");
        }

        var appRole = roles[index];
        var roleName = DoctorParsing.ParseRoleValue(appRole.Value) is { } pair ? DoctorParsing.RoleName(pair.RoleArn)
            : appRole.Value?.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.Contains(":role/", StringComparison.Ordinal)) is { } arn ? DoctorParsing.RoleName(arn) : null;
        var spec = context.Spec.Roles.FirstOrDefault(r => string.Equals(r.Name, roleName, StringComparison.OrdinalIgnoreCase));
        string summary;
        if (spec is not null && await context.Iam.GetRoleAsync(spec.Name, cancellationToken) is not null)
        {
            var value = FederationNames.RoleValue(context.Environment, context.Spec, spec.Name);
            var correct = EntraAppRole.ForAwsRole(appRole.Id, FederationNames.RoleArn(context.Environment, spec.Name), context.ProviderArn);
            roles[index] = appRole with { Value = value, DisplayName = correct.DisplayName };
            summary = $"App role '{appRole.DisplayName}' now says {value} (its assignments are kept).";
        }
        else
        {
            roles[index] = appRole with { IsEnabled = false };
            summary = $"App role '{appRole.DisplayName}' named a role that is not part of this environment or does not exist: disabled.";
        }

        if (appRole.IsEnabled && roles[index].Value != appRole.Value)
        {
            // Entra refuses to change an enabled app role: disable it in one call, change it in the next.
            var disabled = roles.ToList();
            disabled[index] = appRole with { IsEnabled = false };
            await context.Entra.SetAppRolesAsync(app.ServicePrincipalId, disabled, cancellationToken);
        }

        await context.Entra.SetAppRolesAsync(app.ServicePrincipalId, roles, cancellationToken);
        return summary;
    }
}

/// <summary>Sets a role's trust policy back to the one the portal creates.</summary>
internal sealed class TrustPolicyFix : IDoctorFix
{
    public string Id => DoctorFixes.TrustPolicy;

    public async Task<string> ApplyAsync(DoctorContext context, string? target, CancellationToken cancellationToken = default)
    {
        var role = await context.Iam.GetRoleAsync(target ?? string.Empty, cancellationToken)
                   ?? throw new DoctorFixException($"Role {target} does not exist: apply the Role creation stage.");
        if (!FederationNames.IsOurs(role.Tags, context.Environment))
        {
            throw new DoctorFixException($"Role {role.RoleName} is not tagged for this environment: the portal leaves it alone.");
        }

        var policy = FederationNames.TrustPolicy(context.ProviderArn);
        await context.Iam.UpdateAssumeRolePolicyAsync(role.RoleName, policy, cancellationToken);
        if (context.Inventory.FirstOrDefault(r => r.Type == ResourceTypes.Role && string.Equals(r.Key, role.RoleName, StringComparison.OrdinalIgnoreCase)) is null
            && context.Spec.Roles.FirstOrDefault(r => string.Equals(r.Name, role.RoleName, StringComparison.OrdinalIgnoreCase)) is { } spec)
        {
            await DoctorFixes.RecordAsync(context, ResourceTypes.Role, spec.Name, role.Arn,
                new FederationPlanner.RoleAttributes(FederationNames.PolicyArns(spec), role.MaxSessionDuration), cancellationToken);
        }

        return $"Role {role.RoleName} trusts {context.ProviderArn} for sts:AssumeRoleWithSAML with SAML:aud {FederationNames.AwsSignInUrl}, and nothing else.";
    }
}

/// <summary>Gives the provisioning user the portal's policy (iam:ListRoles and iam:ListAccountAliases).</summary>
internal sealed class ProvisioningPolicyFix : IDoctorFix
{
    public string Id => DoctorFixes.ProvisioningPolicy;

    public async Task<string> ApplyAsync(DoctorContext context, string? target, CancellationToken cancellationToken = default)
    {
        var user = await context.Iam.GetUserAsync(target ?? string.Empty, cancellationToken)
                   ?? throw new DoctorFixException($"User {target} does not exist: apply the Provisioning stage.");
        if (!FederationNames.IsOurs(user.Tags, context.Environment))
        {
            throw new DoctorFixException($"User {user.UserName} is not tagged for this environment: the portal leaves it alone.");
        }

        await context.Iam.PutUserPolicyAsync(user.UserName, FederationNames.ProvisioningPolicyName, FederationNames.ProvisioningPolicy, cancellationToken);
        var others = (await context.Iam.ListUserPoliciesAsync(user.UserName, cancellationToken)).Where(p => p != FederationNames.ProvisioningPolicyName).ToList();
        await DoctorFixes.RecordAsync(context, ResourceTypes.User, user.UserName, user.Arn, null, cancellationToken);
        return $"{user.UserName} may call iam:ListRoles and iam:ListAccountAliases (policy {FederationNames.ProvisioningPolicyName})" +
               (others.Count > 0 ? $"; its other inline policies ({string.Join(", ", others)}) were left in place: remove them if nobody needs them." : ".");
    }
}

/// <summary>Gives the app the next free AWS identifier in the tenant and AWS's reply URL, as the App registration stage does.</summary>
internal sealed class IdentifierFix : IDoctorFix
{
    public string Id => DoctorFixes.Identifier;

    public async Task<string> ApplyAsync(DoctorContext context, string? target, CancellationToken cancellationToken = default)
    {
        DoctorFixes.RequireApp(context);
        var record = context.AppRecord!;
        var current = context.Application?.IdentifierUris.FirstOrDefault(IdentifierCheck.IsAwsIdentifier);

        // Keep a good identifier (only the reply URL was wrong); otherwise take the next one free in the whole tenant.
        var identifier = current is not null && target != "collision" ? current : await context.Entra.GetFreeAwsIdentifierAsync(cancellationToken);
        await context.Entra.SetSamlUrlsAsync(record.CloudId, identifier, FederationNames.AwsSignInUrl, cancellationToken);
        await DoctorFixes.RecordAsync(context, ResourceTypes.SamlSettings, ResourceTypes.SingletonKey, identifier, null, cancellationToken);
        return $"Identifier {identifier}; reply URL {FederationNames.AwsSignInUrl}.";
    }
}
