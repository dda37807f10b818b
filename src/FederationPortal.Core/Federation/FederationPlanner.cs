using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Federation;

/// <summary>
/// Turns (desired state, inventory) into a plan. Apply: what to create, update or delete so that the clouds match
/// the spec. Teardown: everything the inventory holds, removed in reverse dependency order.
/// </summary>
public sealed class FederationPlanner(TimeProvider clock)
{
    public const string ImportByProvisioning = ActionKinds.Provisioning;
    public const string ImportDirect = ActionKinds.AppRoles;

    /// <param name="drift">Action id → what drifted: those actions run again (as updates) to restore the desired state.</param>
    public Plan PlanApply(FederationEnvironment environment, EnvironmentSpec spec, IReadOnlyList<ManagedResource> inventory, IReadOnlyDictionary<string, string>? drift = null)
    {
        var has = new Func<string, string, ManagedResource?>((type, key) =>
            inventory.FirstOrDefault(r => r.Type == type && string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase) && r.CloudId.Length > 0));
        ChangeKind CreateOr(string type, string key) => has(type, key) is null ? ChangeKind.Create : ChangeKind.NoChange;

        var actions = new List<PlannedAction>();
        var appName = FederationNames.AppDisplayName(environment, spec);
        var providerArn = FederationNames.ProviderArn(environment, spec);

        actions.Add(new(ActionKinds.App, ActionKinds.App, CreateOr(ResourceTypes.Application, ResourceTypes.SingletonKey), "Enterprise application", appName,
            $"Add the AWS Single-Account Access gallery app (template {EntraWellKnown.AwsSingleAccountTemplateId}) as '{appName}'.",
            [], Stages.App, Json(new { displayName = appName })));
        actions.Add(new(ActionKinds.SamlSettings, ActionKinds.SamlSettings, CreateOr(ResourceTypes.SamlSettings, ResourceTypes.SingletonKey), "SAML settings", FederationNames.AwsSignInUrl,
            $"Switch single sign-on to SAML; identifier {FederationNames.AwsSignInUrl} (or #2, #3… when another AWS app in the tenant has it); reply URL {FederationNames.AwsSignInUrl}.",
            [ActionKinds.App], Stages.App,
            Json(new { servicePrincipal = new { preferredSingleSignOnMode = "saml" }, application = new { identifierUris = new[] { FederationNames.AwsSignInUrl }, web = new { redirectUris = new[] { FederationNames.AwsSignInUrl } } } })));
        actions.Add(new(ActionKinds.Certificate, ActionKinds.Certificate, CreateOr(ResourceTypes.SigningCertificate, ResourceTypes.SingletonKey), "Signing certificate", FederationNames.CertificateSubject(environment),
            $"Create a token-signing certificate valid for {spec.App.CertificateValidityMonths} months and make it the active one.",
            [ActionKinds.App], Stages.App,
            Json(new { displayName = FederationNames.CertificateSubject(environment), endDateTime = clock.GetUtcNow().AddMonths(spec.App.CertificateValidityMonths).ToString("O") })));
        actions.Add(new(ActionKinds.Claims, ActionKinds.Claims, CreateOr(ResourceTypes.ClaimsPolicy, ResourceTypes.SingletonKey), "Claims mapping policy", FederationNames.ClaimsPolicyName(environment),
            $"Create the claims AWS needs (Role, RoleSessionName from {spec.App.RoleSessionName}, SessionDuration {spec.App.SessionDurationSeconds} s) and assign them to the app.",
            [ActionKinds.App], Stages.App, ClaimsDefinition(spec)));

        actions.Add(new(ActionKinds.SamlProvider, ActionKinds.SamlProvider, CreateOr(ResourceTypes.SamlProvider, FederationNames.ProviderName(environment, spec)), "IAM SAML provider", FederationNames.ProviderName(environment, spec),
            spec.UploadedMetadata is null
                ? $"Download the app's federation metadata and create the IAM SAML provider {providerArn} with it."
                : $"Create the IAM SAML provider {providerArn} with the uploaded metadata file.",
            [ActionKinds.Certificate, ActionKinds.SamlSettings], Stages.Metadata));

        var roleActionIds = new List<string>();
        foreach (var role in spec.Roles)
        {
            var id = ActionKinds.RoleActionId(role.Name);
            roleActionIds.Add(id);
            var existing = has(ResourceTypes.Role, role.Name);
            var policies = FederationNames.PolicyArns(role);
            var diff = existing is null ? null : RoleDiff(existing, role, policies);
            actions.Add(new(id, ActionKinds.Role, existing is null ? ChangeKind.Create : diff is null ? ChangeKind.NoChange : ChangeKind.Update, "IAM role", role.Name,
                existing is null
                    ? $"Create role {role.Name} (max session {role.MaxSessionDurationSeconds} s) trusting {FederationNames.ProviderName(environment, spec)}, with {string.Join(", ", policies.Select(ShortPolicy))}."
                    : diff is null ? $"Role {role.Name} is as requested." : $"Update role {role.Name}: {diff}",
                [ActionKinds.SamlProvider], Stages.Roles,
                Json(new { roleName = role.Name, maxSessionDuration = role.MaxSessionDurationSeconds, managedPolicies = policies, assumeRolePolicyDocument = JsonNode.Parse(FederationNames.TrustPolicy(providerArn)) }),
                diff));
        }

        var removedRoles = inventory.Where(r => r.Type == ResourceTypes.Role && !spec.Roles.Any(s => string.Equals(s.Name, r.Key, StringComparison.OrdinalIgnoreCase))).ToList();
        var removedAssignments = inventory.Where(r => r.Type == ResourceTypes.Assignment && !spec.Assignments.Any(a => string.Equals(AssignmentKey(a), r.Key, StringComparison.OrdinalIgnoreCase))).ToList();
        foreach (var assignment in removedAssignments)
        {
            actions.Add(new(ActionKinds.AssignmentActionId(assignment.Key), ActionKinds.Assignment, ChangeKind.Delete, "App role assignment", assignment.Key,
                $"Remove the assignment {assignment.Key}.", [ActionKinds.App], Stages.Assignments));
        }

        foreach (var role in removedRoles)
        {
            var id = ActionKinds.RoleActionId(role.Key);
            roleActionIds.Add(id);
            actions.Add(new(id, ActionKinds.Role, ChangeKind.Delete, "IAM role", role.Key,
                $"Delete role {role.Key} (its policies first): it is no longer in this environment.",
                removedAssignments.Where(a => a.Key.EndsWith(":" + role.Key, StringComparison.OrdinalIgnoreCase)).Select(a => ActionKinds.AssignmentActionId(a.Key)).ToList(),
                Stages.Roles));
        }

        var rolesChange = actions.Any(a => a.Kind == ActionKinds.Role && a.Change is ChangeKind.Create or ChangeKind.Delete);
        string importId;
        if (spec.Provisioning.Enabled)
        {
            var userName = FederationNames.ProvisioningUserName(environment, spec);
            actions.Add(new(ActionKinds.ProvisioningUser, ActionKinds.ProvisioningUser, CreateOr(ResourceTypes.User, userName), "IAM user", userName,
                $"Create IAM user {userName} allowed exactly iam:ListRoles and iam:ListAccountAliases, for Entra's AWS connector.",
                [], Stages.Provisioning, FederationNames.ProvisioningPolicy));
            importId = ImportByProvisioning;
            var job = has(ResourceTypes.SyncJob, ResourceTypes.SingletonKey);
            // The job is recorded as soon as it exists; the import counts as done only once its run imported the roles
            // (the app roles record): a run that failed after the job was made is run again, not taken as done.
            var imported = has(ResourceTypes.AppRoles, ResourceTypes.SingletonKey) is not null;
            actions.Add(new(importId, ActionKinds.Provisioning, job is null ? ChangeKind.Create : rolesChange || !imported ? ChangeKind.Update : ChangeKind.NoChange, "Provisioning", "AWS role import",
                job is null
                    ? "Create an access key for the user and hand it straight to Entra (Test Connection, then save); start the AWS provisioning job and wait until it has imported the roles as app roles. The secret key is never stored."
                    : "Run the AWS provisioning job again so that Entra imports the changed roles.",
                [ActionKinds.ProvisioningUser, ActionKinds.SamlSettings, .. roleActionIds], Stages.Provisioning));
        }
        else
        {
            importId = ImportDirect;
            actions.Add(new(importId, ActionKinds.AppRoles, has(ResourceTypes.AppRoles, ResourceTypes.SingletonKey) is null || rolesChange ? ChangeKind.Create : ChangeKind.NoChange,
                "App roles", "AWS roles", "Write the roles into the service principal's app roles directly (value roleArn,providerArn), without a provisioning job.",
                [ActionKinds.App, .. roleActionIds], Stages.Provisioning));
        }

        foreach (var assignment in spec.Assignments)
        {
            var key = AssignmentKey(assignment);
            actions.Add(new(ActionKinds.AssignmentActionId(key), ActionKinds.Assignment, CreateOr(ResourceTypes.Assignment, key), "App role assignment",
                $"{assignment.PrincipalName ?? assignment.PrincipalId} → {assignment.RoleName}",
                $"Assign {assignment.PrincipalType.ToString().ToLowerInvariant()} {assignment.PrincipalName ?? assignment.PrincipalId} to the app role for {assignment.RoleName}.",
                [importId, ActionKinds.Claims], Stages.Assignments));
        }

        // What is already there needs no "will create" sentence.
        actions = actions.Select(a => a.Change == ChangeKind.NoChange && a.Diff is null && !a.Description.StartsWith("Role ", StringComparison.Ordinal)
            ? a with { Description = $"{a.ResourceType} {a.ResourceName} is in place; nothing to do." }
            : a).ToList();

        if (drift is { Count: > 0 })
        {
            actions = actions.Select(a => drift.TryGetValue(a.Id, out var detail)
                ? a with { Change = a.Change == ChangeKind.NoChange ? ChangeKind.Update : a.Change, Diff = $"changed outside the portal: {detail}" }
                : a).ToList();
        }

        // The assignments are the last applying stage of the wizard: once they are in, the setup is complete.
        var plan = new Plan(Guid.CreateVersion7(clock.GetUtcNow()), environment.Id, OperationKind.Apply, clock.GetUtcNow(), actions) { FinalStage = Stages.Assignments };
        plan.EnsureWellFormed();
        return plan;
    }

    /// <summary>The plan action that restores a drifted inventory resource.</summary>
    public static string ActionIdFor(string resourceType, string key) => resourceType switch
    {
        ResourceTypes.Application => ActionKinds.App,
        ResourceTypes.SamlSettings => ActionKinds.SamlSettings,
        ResourceTypes.SigningCertificate or ResourceTypes.SamlProvider => ActionKinds.SamlProvider,
        ResourceTypes.ClaimsPolicy => ActionKinds.Claims,
        ResourceTypes.Role => ActionKinds.RoleActionId(key),
        ResourceTypes.User => ActionKinds.ProvisioningUser,
        ResourceTypes.AccessKey or ResourceTypes.SyncJob => ImportByProvisioning,
        ResourceTypes.AppRoles => ImportDirect,
        ResourceTypes.Assignment => ActionKinds.AssignmentActionId(key),
        _ => resourceType,
    };

    /// <summary>
    /// Everything the inventory holds, deleted in dependency order: assignments, the provisioning job, the claims
    /// policy, the app (with its service principal), the roles, the provisioning user with its keys, the SAML provider.
    /// </summary>
    public Plan PlanTeardown(FederationEnvironment environment, EnvironmentSpec spec, IReadOnlyList<ManagedResource> inventory)
    {
        var actions = new List<PlannedAction>();
        string[] Ids(string kind) => actions.Where(a => a.Kind == kind).Select(a => a.Id).ToArray();
        ManagedResource? One(string type) => inventory.FirstOrDefault(r => r.Type == type);

        // Deleting the service principal removes its app role assignments with it (in Entra as in the sandbox): one call
        // instead of one per assignment. Only without an app to delete are leftover assignments removed one by one.
        var assignments = inventory.Where(r => r.Type == ResourceTypes.Assignment).ToList();
        if (One(ResourceTypes.Application) is null)
        {
            foreach (var assignment in assignments)
            {
                actions.Add(new(ActionKinds.AssignmentActionId(assignment.Key), ActionKinds.Assignment, ChangeKind.Delete, "App role assignment", assignment.Key,
                    $"Remove the assignment {assignment.Key}.", [], Stages.Teardown));
            }
        }

        if (One(ResourceTypes.SyncJob) is { } job)
        {
            actions.Add(new(ActionKinds.Provisioning, ActionKinds.Provisioning, ChangeKind.Delete, "Provisioning job", job.CloudId,
                "Stop and delete the AWS provisioning job (Entra forgets the access key).", Ids(ActionKinds.Assignment), Stages.Teardown));
        }

        if (One(ResourceTypes.ClaimsPolicy) is { } claims)
        {
            actions.Add(new(ActionKinds.Claims, ActionKinds.Claims, ChangeKind.Delete, "Claims mapping policy", claims.CloudId.Length > 0 ? claims.CloudId : FederationNames.ClaimsPolicyName(environment),
                "Unassign and delete the claims mapping policy.", Ids(ActionKinds.Assignment), Stages.Teardown));
        }

        if (One(ResourceTypes.Application) is { } app)
        {
            actions.Add(new(ActionKinds.App, ActionKinds.App, ChangeKind.Delete, "Enterprise application", FederationNames.AppDisplayName(environment, spec),
                assignments.Count == 0
                    ? "Delete the application and its service principal (Entra keeps it 30 days in the recycle bin)."
                    : $"Delete the application and its service principal, and with it its {assignments.Count} app role assignment(s) (Entra keeps it 30 days in the recycle bin).",
                [.. Ids(ActionKinds.Assignment), .. Ids(ActionKinds.Provisioning), .. Ids(ActionKinds.Claims)], Stages.Teardown));
        }

        foreach (var role in inventory.Where(r => r.Type == ResourceTypes.Role))
        {
            actions.Add(new(ActionKinds.RoleActionId(role.Key), ActionKinds.Role, ChangeKind.Delete, "IAM role", role.Key,
                $"Detach its policies and delete role {role.Key}.", [.. Ids(ActionKinds.Assignment), .. Ids(ActionKinds.Provisioning)], Stages.Teardown));
        }

        foreach (var user in inventory.Where(r => r.Type == ResourceTypes.User))
        {
            actions.Add(new(ActionKinds.ProvisioningUser, ActionKinds.ProvisioningUser, ChangeKind.Delete, "IAM user", user.Key,
                $"Delete {user.Key}'s access keys and policies, then the user.", Ids(ActionKinds.Provisioning), Stages.Teardown));
        }

        if (inventory.FirstOrDefault(r => r.Type == ResourceTypes.SamlProvider) is { } provider)
        {
            actions.Add(new(ActionKinds.SamlProvider, ActionKinds.SamlProvider, ChangeKind.Delete, "IAM SAML provider", provider.Key,
                $"Delete the SAML provider {provider.CloudId}.", [.. Ids(ActionKinds.Role), .. Ids(ActionKinds.App)], Stages.Teardown));
        }

        var plan = new Plan(Guid.CreateVersion7(clock.GetUtcNow()), environment.Id, OperationKind.Teardown, clock.GetUtcNow(), actions);
        plan.EnsureWellFormed();
        return plan;
    }

    public static string AssignmentKey(AssignmentSpec assignment) => $"{assignment.PrincipalId.ToLowerInvariant()}:{assignment.RoleName}";

    public static string ClaimsDefinition(EnvironmentSpec spec)
    {
        var source = spec.App.RoleSessionName == RoleSessionNameSource.ObjectId ? "objectid" : "userprincipalname";
        return "{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"true\",\"ClaimsSchema\":[" +
               $"{{\"Source\":\"user\",\"ID\":\"assignedroles\",\"SamlClaimType\":\"{EntraWellKnown.RoleClaim}\"}}," +
               $"{{\"Source\":\"user\",\"ID\":\"{source}\",\"SamlClaimType\":\"{EntraWellKnown.RoleSessionNameClaim}\"}}," +
               $"{{\"Value\":\"{spec.App.SessionDurationSeconds}\",\"SamlClaimType\":\"{EntraWellKnown.SessionDurationClaim}\"}}]}}}}";
    }

    /// <summary>What the inventory records about a role: its attached policies and max session.</summary>
    public sealed record RoleAttributes(IReadOnlyList<string> Policies, int MaxSessionDurationSeconds);

    private static string? RoleDiff(ManagedResource existing, RoleSpec role, IReadOnlyList<string> policies)
    {
        var recorded = existing.Attributes is null ? null : JsonSerializer.Deserialize<RoleAttributes>(existing.Attributes, EnvironmentSpec.Json);
        if (recorded is null)
        {
            return null;
        }

        var changes = new List<string>();
        if (recorded.MaxSessionDurationSeconds != role.MaxSessionDurationSeconds)
        {
            changes.Add($"max session {recorded.MaxSessionDurationSeconds} → {role.MaxSessionDurationSeconds} s");
        }

        foreach (var added in policies.Except(recorded.Policies))
        {
            changes.Add($"+ {ShortPolicy(added)}");
        }

        foreach (var removed in recorded.Policies.Except(policies))
        {
            changes.Add($"- {ShortPolicy(removed)}");
        }

        return changes.Count == 0 ? null : string.Join("; ", changes);
    }

    private static string ShortPolicy(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    private static string Json(object value) => JsonSerializer.Serialize(value, EnvironmentSpec.Json);
}
