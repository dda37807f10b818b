using FederationPortal.Core.Entra;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Federation.Handlers;

/// <summary>
/// Instantiates the AWS gallery app. An intent record (no cloud id yet) is written before the call, so that after a
/// crash the app the call created is found by its name and adopted rather than created twice.
/// </summary>
internal sealed class EntraAppHandler(IEntraDirectoryService entra, TimeProvider clock) : FederationHandler
{
    /// <summary>How long an app an earlier attempt may have instantiated is waited for before instantiating again.</summary>
    internal static readonly TimeSpan ReplicationWait = TimeSpan.FromSeconds(30);

    public override string Kind => ActionKinds.App;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var name = FederationNames.AppDisplayName(environment, spec);
        var record = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken);
        if (execution.Action.Change == ChangeKind.Delete)
        {
            return await DeleteAsync(execution, record, name, cancellationToken);
        }

        if (record is { CloudId.Length: > 0 } && await entra.GetApplicationAsync(record.CloudId, cancellationToken) is { } live)
        {
            return new ActionResult($"Application '{live.DisplayName}' exists (app id {live.AppId}).", live.Id);
        }

        var sameName = await entra.FindApplicationsByDisplayNameAsync(name, cancellationToken);
        if (record is not null && sameName.Count == 0)
        {
            // An earlier attempt stopped after its instantiate call, perhaps before Entra made the new app readable
            // (Entra creates it asynchronously): wait for it rather than create a second one.
            sameName = await WaitForReplicationAsync(name, cancellationToken);
        }

        if (record is not null && sameName.Count == 1)
        {
            var found = sameName[0];
            await RecordAsync(execution, ResourceTypes.Application, ResourceTypes.SingletonKey, found.Application.Id,
                new AppAttributes(found.Application.AppId, found.ServicePrincipal.Id, name), cancellationToken);
            return new ActionResult($"Adopted application '{name}' created by an earlier attempt (app id {found.Application.AppId}).", found.Application.Id);
        }

        if (sameName.Count > 0)
        {
            throw new ActionFailedException(
                $"An application named '{name}' already exists in the tenant and was not created by this environment. Choose another display name on the App registration stage.");
        }

        await RecordAsync(execution, ResourceTypes.Application, ResourceTypes.SingletonKey, string.Empty, new { displayName = name }, cancellationToken);
        var app = await entra.InstantiateAwsAppAsync(name, cancellationToken);
        await RecordAsync(execution, ResourceTypes.Application, ResourceTypes.SingletonKey, app.Application.Id,
            new AppAttributes(app.Application.AppId, app.ServicePrincipal.Id, name), cancellationToken);
        return new ActionResult($"Created application '{name}' (app id {app.Application.AppId}, service principal {app.ServicePrincipal.Id}).", app.Application.Id);
    }

    private async Task<IReadOnlyList<EntraGalleryApp>> WaitForReplicationAsync(string name, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + ReplicationWait;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
            var found = await entra.FindApplicationsByDisplayNameAsync(name, cancellationToken);
            if (found.Count > 0 || clock.GetUtcNow() >= deadline)
            {
                return found;
            }
        }
    }

    private async Task<ActionResult> DeleteAsync(ActionExecution execution, ManagedResource? record, string name, CancellationToken cancellationToken)
    {
        var id = record?.CloudId;
        if (string.IsNullOrEmpty(id) && record is not null)
        {
            // Only an intent was recorded: the app exists only if the instantiate call went through before the stop,
            // and may not be readable yet.
            var found = await entra.FindApplicationsByDisplayNameAsync(name, cancellationToken);
            if (found.Count == 0)
            {
                found = await WaitForReplicationAsync(name, cancellationToken);
            }

            id = found.Count == 1 ? found[0].Application.Id : null;
        }

        if (!string.IsNullOrEmpty(id))
        {
            await entra.DeleteApplicationAsync(id, cancellationToken);
        }

        foreach (var type in new[] { ResourceTypes.Application, ResourceTypes.SamlSettings, ResourceTypes.SigningCertificate, ResourceTypes.AppRoles })
        {
            await execution.Inventory.RemoveAsync(execution.Environment.Id, type, ResourceTypes.SingletonKey, cancellationToken);
        }

        // The service principal's app role assignments went with it.
        foreach (var assignment in (await execution.Inventory.ListAsync(execution.Environment.Id, cancellationToken)).Where(r => r.Type == ResourceTypes.Assignment))
        {
            await execution.Inventory.RemoveAsync(execution.Environment.Id, ResourceTypes.Assignment, assignment.Key, cancellationToken);
        }

        return new ActionResult(id is null ? $"Application '{name}' was already gone." : $"Deleted application '{name}' and its service principal (in Entra's recycle bin for 30 days).", id);
    }
}

/// <summary>SAML mode, identifier and reply URL. The identifier must be unique in the tenant: the next free <c>#n</c> is taken.</summary>
internal sealed class EntraSamlSettingsHandler(IEntraDirectoryService entra) : FederationHandler
{
    public override string Kind => ActionKinds.SamlSettings;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var (appRecord, app) = await RequireAppAsync(execution, cancellationToken);
        await entra.SetSamlSingleSignOnAsync(app.ServicePrincipalId, cancellationToken);

        var live = await entra.GetApplicationAsync(appRecord.CloudId, cancellationToken)
                   ?? throw new ActionFailedException("The enterprise application no longer exists in the tenant. Re-run the App registration stage.");
        var current = live.IdentifierUris.FirstOrDefault(u => u.StartsWith(FederationNames.AwsSignInUrl, StringComparison.OrdinalIgnoreCase));
        if (current is null || !live.RedirectUris.Contains(FederationNames.AwsSignInUrl))
        {
            current = null;
            for (var n = 1; n <= 50 && current is null; n++)
            {
                var candidate = n == 1 ? FederationNames.AwsSignInUrl : $"{FederationNames.AwsSignInUrl}#{n}";
                try
                {
                    await entra.SetSamlUrlsAsync(appRecord.CloudId, candidate, FederationNames.AwsSignInUrl, cancellationToken);
                    current = candidate;
                }
                catch (EntraServiceException ex) when (ex.Code == "Request_MultipleObjectsWithSameKeyValue")
                {
                    // Another AWS app in this tenant has it: try the next #n.
                }
            }
        }

        if (current is null)
        {
            throw new ActionFailedException("No free identifier between https://signin.aws.amazon.com/saml and #50 in this tenant.");
        }

        await RecordAsync(execution, ResourceTypes.SamlSettings, ResourceTypes.SingletonKey, current, null, cancellationToken);
        return new ActionResult($"SAML single sign-on on; identifier {current}; reply URL {FederationNames.AwsSignInUrl}.", current);
    }
}

/// <summary>A token-signing certificate, made the active one. A certificate created before a crash is recognised by its name.</summary>
internal sealed class EntraCertificateHandler(IEntraDirectoryService entra, TimeProvider clock) : FederationHandler
{
    public override string Kind => ActionKinds.Certificate;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var (_, app) = await RequireAppAsync(execution, cancellationToken);
        var subject = FederationNames.CertificateSubject(execution.Environment);
        var sp = await entra.GetServicePrincipalAsync(app.ServicePrincipalId, cancellationToken)
                 ?? throw new ActionFailedException("The service principal no longer exists. Re-run the App registration stage.");

        var existing = sp.KeyCredentials
            .Where(k => k.Usage == "Verify" && k.DisplayName == subject && k.EndDateTime > clock.GetUtcNow() && k.CustomKeyIdentifier is not null)
            .OrderByDescending(k => k.EndDateTime)
            .FirstOrDefault();
        string thumbprint;
        DateTimeOffset notAfter;
        if (existing is not null)
        {
            thumbprint = Convert.ToHexString(Convert.FromBase64String(existing.CustomKeyIdentifier!));
            notAfter = existing.EndDateTime!.Value;
        }
        else
        {
            var certificate = await entra.AddTokenSigningCertificateAsync(app.ServicePrincipalId, subject, clock.GetUtcNow().AddMonths(spec.App.CertificateValidityMonths), cancellationToken);
            thumbprint = certificate.Thumbprint;
            notAfter = certificate.EndDateTime;
        }

        if (!string.Equals(sp.PreferredTokenSigningKeyThumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            await entra.SetPreferredTokenSigningThumbprintAsync(app.ServicePrincipalId, thumbprint, cancellationToken);
        }

        await RecordAsync(execution, ResourceTypes.SigningCertificate, ResourceTypes.SingletonKey, thumbprint, new { notAfter }, cancellationToken);
        return new ActionResult($"{(existing is null ? "Created" : "Adopted")} signing certificate {thumbprint}, valid until {notAfter:yyyy-MM-dd}; it is the active one.", thumbprint);
    }
}

/// <summary>The claims AWS needs, as a claims mapping policy assigned to the service principal.</summary>
internal sealed class EntraClaimsHandler(IEntraDirectoryService entra) : FederationHandler
{
    public override string Kind => ActionKinds.Claims;

    protected override async Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var name = FederationNames.ClaimsPolicyName(execution.Environment);
        if (execution.Action.Change == ChangeKind.Delete)
        {
            return await DeleteAsync(execution, name, cancellationToken);
        }

        var (_, app) = await RequireAppAsync(execution, cancellationToken);
        var definition = FederationPlanner.ClaimsDefinition(spec);

        var record = await execution.Inventory.FindAsync(execution.Environment.Id, ResourceTypes.ClaimsPolicy, ResourceTypes.SingletonKey, cancellationToken);
        var policyId = record is { CloudId.Length: > 0 } ? record.CloudId : null;
        if (policyId is null && record is not null)
        {
            // An earlier attempt may have created it just before stopping.
            policyId = (await entra.ListAllClaimsMappingPoliciesAsync(cancellationToken)).FirstOrDefault(p => p.DisplayName == name)?.Id;
        }

        if (policyId is null)
        {
            await RecordAsync(execution, ResourceTypes.ClaimsPolicy, ResourceTypes.SingletonKey, string.Empty, new { displayName = name }, cancellationToken);
            policyId = await entra.CreateClaimsMappingPolicyAsync(name, definition, cancellationToken);
        }

        var assigned = await entra.ListClaimsMappingPoliciesAsync(app.ServicePrincipalId, cancellationToken);
        if (!assigned.Any(p => p.Id == policyId))
        {
            foreach (var other in assigned)
            {
                // A service principal takes one claims mapping policy: replace whatever was there.
                await entra.RemoveClaimsMappingPolicyAsync(app.ServicePrincipalId, other.Id, cancellationToken);
            }

            await entra.AssignClaimsMappingPolicyAsync(app.ServicePrincipalId, policyId, cancellationToken);
        }

        // Recorded (which tells the planner it is done) only once assigned: until then the intent record stays, and
        // the next attempt finds the policy by its name and assigns it.
        await RecordAsync(execution, ResourceTypes.ClaimsPolicy, ResourceTypes.SingletonKey, policyId, new { displayName = name }, cancellationToken);

        return new ActionResult($"Claims mapping policy '{name}' assigned (Role, RoleSessionName, SessionDuration {spec.App.SessionDurationSeconds} s).", policyId);
    }

    private async Task<ActionResult> DeleteAsync(ActionExecution execution, string name, CancellationToken cancellationToken)
    {
        var environment = execution.Environment;
        var record = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.ClaimsPolicy, ResourceTypes.SingletonKey, cancellationToken);
        var policyId = record is { CloudId.Length: > 0 } ? record.CloudId
            : (await entra.ListAllClaimsMappingPoliciesAsync(cancellationToken)).FirstOrDefault(p => p.DisplayName == name)?.Id;
        if (policyId is not null)
        {
            var app = await execution.Inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken);
            if (AppAttributes.Of(app) is { } attributes)
            {
                await IgnoreMissingAsync(() => entra.RemoveClaimsMappingPolicyAsync(attributes.ServicePrincipalId, policyId, cancellationToken));
            }

            await IgnoreMissingAsync(() => entra.DeleteClaimsMappingPolicyAsync(policyId, cancellationToken));
        }

        await execution.Inventory.RemoveAsync(environment.Id, ResourceTypes.ClaimsPolicy, ResourceTypes.SingletonKey, cancellationToken);
        return new ActionResult(policyId is null ? "The claims mapping policy was already gone." : $"Deleted claims mapping policy '{name}'.", policyId);
    }
}
