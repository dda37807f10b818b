using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Federation.Handlers;

/// <summary>Carries the app's federation metadata to the IAM SAML provider (creates it, or updates one this environment owns).</summary>
internal sealed class SamlProviderHandler(IEntraDirectoryService entra, IAwsIam iam, TimeProvider clock) : FederationHandler
{
    public override string Kind => ActionKinds.SamlProvider;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        if (execution.Action.Change == ChangeKind.Delete)
        {
            return await DeleteAsync(execution, cancellationToken);
        }

        var (_, app) = await RequireAppAsync(execution, cancellationToken);
        var metadata = spec.UploadedMetadata is { } uploaded
            ? FederationMetadata.Parse(System.Text.Encoding.UTF8.GetBytes(uploaded), clock.GetUtcNow())
            : await entra.GetFederationMetadataAsync(app.AppId, cancellationToken);
        if (metadata.IsSigned && !metadata.SignatureValid)
        {
            throw new ActionFailedException("The federation metadata's signature does not verify: it was altered on the way. Nothing was sent to AWS.");
        }

        var active = metadata.SigningCertificates.Where(c => !c.IsExpired).ToList();
        if (active.Count == 0)
        {
            throw new ActionFailedException("Every signing certificate in the federation metadata has expired: AWS would refuse every sign-in. Create a new certificate on the App registration stage.");
        }

        var name = FederationNames.ProviderName(environment, spec);
        var arn = FederationNames.ProviderArn(environment, spec);
        var existing = await iam.GetSamlProviderAsync(arn, cancellationToken);
        string summary;
        if (existing is null)
        {
            arn = await iam.CreateSamlProviderAsync(name, metadata.Xml, FederationNames.Tags(environment), cancellationToken);
            summary = $"Created SAML provider {arn}";
        }
        else if (!FederationNames.IsOurs(existing.Tags, environment))
        {
            throw new ActionFailedException($"An IAM SAML provider named '{name}' already exists and is not managed by this environment (its tags do not name it). Choose another provider name.");
        }
        else
        {
            await iam.UpdateSamlProviderAsync(arn, metadata.Xml, cancellationToken);
            summary = $"Updated SAML provider {arn} with the current metadata";
        }

        await RecordAsync(execution, ResourceTypes.SamlProvider, name, arn,
            new { entityId = metadata.EntityId, thumbprints = active.Select(c => c.Thumbprint).ToList() }, cancellationToken);
        return new ActionResult($"{summary} (issuer {metadata.EntityId}, certificate {active[0].Thumbprint} valid until {active[0].NotAfter:yyyy-MM-dd}).", arn);
    }

    private async Task<ActionResult> DeleteAsync(ActionExecution execution, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var records = (await execution.Inventory.ListAsync(environment.Id, cancellationToken)).Where(r => r.Type == ResourceTypes.SamlProvider).ToList();
        var summary = new List<string>();
        foreach (var record in records)
        {
            var live = await iam.GetSamlProviderAsync(record.CloudId, cancellationToken);
            if (live is null)
            {
                summary.Add($"{record.CloudId} was already gone");
            }
            else if (!FederationNames.IsOurs(live.Tags, environment))
            {
                summary.Add($"{record.CloudId} is no longer tagged for this environment: left alone");
            }
            else
            {
                await IgnoreMissingAsync(() => iam.DeleteSamlProviderAsync(record.CloudId, cancellationToken));
                summary.Add($"deleted {record.CloudId}");
            }

            await execution.Inventory.RemoveAsync(environment.Id, ResourceTypes.SamlProvider, record.Key, cancellationToken);
        }

        return new ActionResult(summary.Count == 0 ? "No SAML provider to delete." : $"SAML provider: {string.Join("; ", summary)}.");
    }
}

/// <summary>An IAM role trusting the provider, with its managed policies. Adopts a role tagged for this environment; deletes cleanly.</summary>
internal sealed class RoleHandler(IAwsIam iam) : FederationHandler
{
    public override string Kind => ActionKinds.Role;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var roleName = execution.Action.ResourceName;
        if (execution.Action.Change == ChangeKind.Delete)
        {
            return await DeleteAsync(execution, roleName, cancellationToken);
        }

        var role = spec.Roles.FirstOrDefault(r => string.Equals(r.Name, roleName, StringComparison.OrdinalIgnoreCase))
                   ?? throw new ActionFailedException($"Role {roleName} is no longer in the desired state. Plan again.");
        var provider = await RequireAsync(execution, ResourceTypes.SamlProvider, FederationNames.ProviderName(environment, spec),
            "The IAM SAML provider does not exist yet: apply the Metadata exchange stage first.", cancellationToken);
        var trust = FederationNames.TrustPolicy(provider.CloudId);
        var policies = FederationNames.PolicyArns(role);

        var live = await iam.GetRoleAsync(role.Name, cancellationToken);
        string verb;
        if (live is null)
        {
            // An intent (no ARN yet) first: if the action fails after the role exists (a policy that cannot be attached),
            // teardown still finds and deletes it; the planner still plans the role as to be created.
            await RecordAsync(execution, ResourceTypes.Role, role.Name, string.Empty, null, cancellationToken);
            live = await iam.CreateRoleAsync(new CreateRoleRequest(role.Name, trust)
            {
                Description = role.Description ?? $"Federated from Entra ID by FederationPortal ({environment.Name})",
                MaxSessionDuration = role.MaxSessionDurationSeconds,
                Tags = FederationNames.Tags(environment),
            }, cancellationToken);
            verb = "Created";
        }
        else if (!FederationNames.IsOurs(live.Tags, environment))
        {
            throw new ActionFailedException($"An IAM role named '{role.Name}' already exists and is not managed by this environment. Choose another role name.");
        }
        else
        {
            await iam.UpdateAssumeRolePolicyAsync(role.Name, trust, cancellationToken);
            if (live.MaxSessionDuration != role.MaxSessionDurationSeconds)
            {
                await iam.UpdateRoleAsync(role.Name, null, role.MaxSessionDurationSeconds, cancellationToken);
            }

            verb = "Updated";
        }

        var attached = (await iam.ListAttachedRolePoliciesAsync(role.Name, cancellationToken)).Select(p => p.PolicyArn).ToList();
        foreach (var arn in policies.Except(attached))
        {
            await iam.AttachRolePolicyAsync(role.Name, arn, cancellationToken);
        }

        foreach (var arn in attached.Except(policies))
        {
            await iam.DetachRolePolicyAsync(role.Name, arn, cancellationToken);
        }

        await RecordAsync(execution, ResourceTypes.Role, role.Name, live.Arn, new FederationPlanner.RoleAttributes(policies, role.MaxSessionDurationSeconds), cancellationToken);
        return new ActionResult($"{verb} role {live.Arn} with {string.Join(", ", policies.Select(p => p[(p.LastIndexOf('/') + 1)..]))}; max session {role.MaxSessionDurationSeconds} s.", live.Arn);
    }

    private async Task<ActionResult> DeleteAsync(ActionExecution execution, string roleName, CancellationToken cancellationToken)
    {
        var live = await iam.GetRoleAsync(roleName, cancellationToken);
        if (live is null)
        {
            await execution.Inventory.RemoveAsync(execution.Environment.Id, ResourceTypes.Role, roleName, cancellationToken);
            return new ActionResult($"Role {roleName} was already gone.");
        }

        if (!FederationNames.IsOurs(live.Tags, execution.Environment))
        {
            await execution.Inventory.RemoveAsync(execution.Environment.Id, ResourceTypes.Role, roleName, cancellationToken);
            return new ActionResult($"Role {roleName} is no longer tagged for this environment: left alone and dropped from the inventory.");
        }

        foreach (var policy in await iam.ListAttachedRolePoliciesAsync(roleName, cancellationToken))
        {
            await iam.DetachRolePolicyAsync(roleName, policy.PolicyArn, cancellationToken);
        }

        foreach (var inline in await iam.ListRolePoliciesAsync(roleName, cancellationToken))
        {
            await iam.DeleteRolePolicyAsync(roleName, inline, cancellationToken);
        }

        await iam.DeleteRoleAsync(roleName, cancellationToken);
        await execution.Inventory.RemoveAsync(execution.Environment.Id, ResourceTypes.Role, roleName, cancellationToken);
        return new ActionResult($"Deleted role {live.Arn}.", live.Arn);
    }
}

/// <summary>The IAM user Entra's AWS connector signs in as, allowed exactly iam:ListRoles and iam:ListAccountAliases.</summary>
internal sealed class ProvisioningUserHandler(IAwsIam iam) : FederationHandler
{
    public override string Kind => ActionKinds.ProvisioningUser;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var userName = FederationNames.ProvisioningUserName(environment, spec);
        if (execution.Action.Change == ChangeKind.Delete)
        {
            return await DeleteAsync(execution, execution.Action.ResourceName, cancellationToken);
        }

        var user = await iam.GetUserAsync(userName, cancellationToken);
        if (user is null)
        {
            // An intent first, as for roles: a user whose policy could not be put is still deleted by teardown.
            await RecordAsync(execution, ResourceTypes.User, userName, string.Empty, null, cancellationToken);
            user = await iam.CreateUserAsync(userName, FederationNames.Tags(environment), cancellationToken);
        }
        else if (!FederationNames.IsOurs(user.Tags, environment))
        {
            throw new ActionFailedException($"An IAM user named '{userName}' already exists and is not managed by this environment. Choose another provisioning user name.");
        }

        await iam.PutUserPolicyAsync(userName, FederationNames.ProvisioningPolicyName, FederationNames.ProvisioningPolicy, cancellationToken);
        await RecordAsync(execution, ResourceTypes.User, userName, user.Arn, null, cancellationToken);
        return new ActionResult($"User {user.Arn} may call iam:ListRoles and iam:ListAccountAliases, nothing else.", user.Arn);
    }

    private async Task<ActionResult> DeleteAsync(ActionExecution execution, string userName, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var user = await iam.GetUserAsync(userName, cancellationToken);
        string result;
        if (user is null)
        {
            result = $"User {userName} was already gone.";
        }
        else if (!FederationNames.IsOurs(user.Tags, environment))
        {
            result = $"User {userName} is no longer tagged for this environment: left alone and dropped from the inventory.";
        }
        else
        {
            // IAM refuses to delete a user that still has keys, policies or group memberships (DeleteConflict).
            foreach (var key in await iam.ListAccessKeysAsync(userName, cancellationToken))
            {
                await IgnoreMissingAsync(() => iam.DeleteAccessKeyAsync(userName, key.AccessKeyId, cancellationToken));
            }

            foreach (var inline in await iam.ListUserPoliciesAsync(userName, cancellationToken))
            {
                await IgnoreMissingAsync(() => iam.DeleteUserPolicyAsync(userName, inline, cancellationToken));
            }

            foreach (var attached in await iam.ListAttachedUserPoliciesAsync(userName, cancellationToken))
            {
                await IgnoreMissingAsync(() => iam.DetachUserPolicyAsync(userName, attached.PolicyArn, cancellationToken));
            }

            await IgnoreMissingAsync(() => iam.DeleteUserAsync(userName, cancellationToken));
            result = $"Deleted user {user.Arn} with its access keys and policies.";
        }

        await execution.Inventory.RemoveAsync(environment.Id, ResourceTypes.AccessKey, userName, cancellationToken);
        await execution.Inventory.RemoveAsync(environment.Id, ResourceTypes.User, userName, cancellationToken);
        return new ActionResult(result, user?.Arn);
    }
}
