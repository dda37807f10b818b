using System.Text;
using System.Text.Json;
using System.Xml;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Saml;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Rotation;

/// <summary>
/// Rolls an environment's token-signing certificate without breaking a sign-in, in four steps: add a new certificate
/// (inactive), publish old and new in the IAM provider's metadata (AWS accepts a response signed by any certificate it
/// lists), make the new one active, remove the old one from both sides. Each step's state is read from the clouds;
/// each step is authorized (Admin) and audited, failures included.
/// </summary>
public sealed class CertificateRotationService(
    IEnvironmentStore environments,
    IResourceInventory inventory,
    IEntraDirectoryService entra,
    IAwsIam iam,
    IAuditTrail audit,
    TimeProvider clock)
{
    /// <summary>Where the rotation of <paramref name="environmentId"/> stands, read live from Entra and IAM.</summary>
    public async Task<RotationState> GetStateAsync(Guid environmentId, CancellationToken cancellationToken = default)
        => (await ReadAsync(await EnvironmentAsync(environmentId, cancellationToken), cancellationToken)).State;

    /// <summary>Step 1: a new token-signing certificate, not yet active (Entra keeps signing with the current one).</summary>
    public Task<RotationState> AddCertificateAsync(PortalActor actor, Guid environmentId, CancellationToken cancellationToken = default)
        => RunStepAsync(actor, environmentId, RotationStep.AddCertificate, "certificate.rotation.add", async (live, environment) =>
        {
            if (live.State.NextStep != RotationStep.AddCertificate)
            {
                // A certificate added now would be taken for an old one (step 4) or race the pending one (step 3).
                throw Invalid("step", live.State.NextStep is { } next
                    ? $"A rotation is under way: finish step {(int)next} first."
                    : "The service principal has no active signing certificate: apply the App registration stage first.");
            }

            var spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);
            var certificate = await entra.AddTokenSigningCertificateAsync(live.App.ServicePrincipalId, FederationNames.CertificateSubject(environment),
                clock.GetUtcNow().AddMonths(spec.App.CertificateValidityMonths), cancellationToken);
            return ("ServicePrincipal", live.App.ServicePrincipalId, new { added = certificate.Thumbprint, notAfter = certificate.EndDateTime, active = live.State.ActiveThumbprint });
        }, cancellationToken);

    /// <summary>Step 2: the IAM provider's metadata lists the active and the new certificate (built by the portal; Entra publishes only the active one).</summary>
    public Task<RotationState> PublishBothAsync(PortalActor actor, Guid environmentId, CancellationToken cancellationToken = default)
        => RunStepAsync(actor, environmentId, RotationStep.PublishBoth, "certificate.rotation.publish", async (live, environment) =>
        {
            var thumbprints = new[] { live.State.ActiveThumbprint, live.State.NewThumbprint }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (thumbprints.Count == 0)
            {
                throw Invalid("step", "The service principal has no active signing certificate to publish.");
            }

            var metadata = await entra.GetFederationMetadataAsync(live.App.AppId, cancellationToken);
            var document = BuildMetadata(metadata.EntityId, metadata.SingleSignOnUrls,
                thumbprints.Select(t => live.Certificates.First(c => string.Equals(c.Thumbprint, t, StringComparison.OrdinalIgnoreCase)).PublicCertificate).ToList());
            await iam.UpdateSamlProviderAsync(live.ProviderArn!, document, cancellationToken);
            await RecordProviderAsync(environment, live, metadata.EntityId, thumbprints, cancellationToken);
            return ("SamlProvider", live.ProviderArn, new { published = thumbprints });
        }, cancellationToken);

    /// <summary>Step 3: Entra signs with the new certificate. Refused until IAM's metadata lists it (that is what keeps sign-in working).</summary>
    public Task<RotationState> ActivateAsync(PortalActor actor, Guid environmentId, CancellationToken cancellationToken = default)
        => RunStepAsync(actor, environmentId, RotationStep.Activate, "certificate.rotation.activate", async (live, environment) =>
        {
            var next = live.State.NewThumbprint;
            if (next is null || string.Equals(next, live.State.ActiveThumbprint, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("step", "There is no new certificate to activate: add one first (step 1).");
            }

            if (!live.State.IamCertificates.Any(c => string.Equals(c.Thumbprint, next, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid("step", $"AWS does not trust certificate {next} yet: activating it now would break every sign-in. Publish both certificates first (step 2).");
            }

            var previous = live.State.ActiveThumbprint;
            await entra.SetPreferredTokenSigningThumbprintAsync(live.App.ServicePrincipalId, next, cancellationToken);
            var certificate = live.Certificates.First(c => string.Equals(c.Thumbprint, next, StringComparison.OrdinalIgnoreCase));
            await UpsertAsync(environment.Id, ResourceTypes.SigningCertificate, ResourceTypes.SingletonKey, next.ToUpperInvariant(),
                new CertificateAttributes(certificate.EndDateTime, previous), cancellationToken);
            return ("ServicePrincipal", live.App.ServicePrincipalId, new { active = next, previous });
        }, cancellationToken);

    /// <summary>Step 4: the old certificate leaves the IAM metadata (Entra's own metadata is uploaded again) and the service principal.</summary>
    public Task<RotationState> RemoveOldAsync(PortalActor actor, Guid environmentId, CancellationToken cancellationToken = default)
        => RunStepAsync(actor, environmentId, RotationStep.RemoveOld, "certificate.rotation.remove", async (live, environment) =>
        {
            if (live.State.NextStep != RotationStep.RemoveOld || live.State.ActiveThumbprint is not { } active)
            {
                throw Invalid("step", "There is no old certificate to remove: the new one must be active first (step 3).");
            }

            var metadata = await entra.GetFederationMetadataAsync(live.App.AppId, cancellationToken);
            if (!metadata.SigningCertificates.Any(c => string.Equals(c.Thumbprint, active, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid("step", $"Entra's federation metadata does not list the active certificate {active} yet; try again in a moment.");
            }

            await iam.UpdateSamlProviderAsync(live.ProviderArn!, metadata.Xml, cancellationToken);
            await RecordProviderAsync(environment, live, metadata.EntityId, metadata.SigningCertificates.Select(c => c.Thumbprint).ToList(), cancellationToken);
            foreach (var old in live.State.OldThumbprints.Where(o => live.Certificates.Any(c => string.Equals(c.Thumbprint, o, StringComparison.OrdinalIgnoreCase))))
            {
                await entra.RemoveTokenSigningCertificateAsync(live.App.ServicePrincipalId, old, cancellationToken);
            }

            var certificate = live.Certificates.First(c => string.Equals(c.Thumbprint, active, StringComparison.OrdinalIgnoreCase));
            await UpsertAsync(environment.Id, ResourceTypes.SigningCertificate, ResourceTypes.SingletonKey, active.ToUpperInvariant(),
                new CertificateAttributes(certificate.EndDateTime, null), cancellationToken);
            return ("ServicePrincipal", live.App.ServicePrincipalId, new { removed = live.State.OldThumbprints, active });
        }, cancellationToken);

    /// <summary>
    /// Environments (not deleted, with an enterprise application) whose active signing certificate expires within
    /// <paramref name="withinDays"/> days or has expired, soonest first; an environment that cannot be read is listed with the problem.
    /// </summary>
    public async Task<IReadOnlyList<CertificateExpiryWarning>> ListExpiringAsync(int withinDays = 30, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var warnings = new List<CertificateExpiryWarning>();
        foreach (var environment in (await environments.ListAsync(cancellationToken)).Where(e => e.Status != EnvironmentStatus.Deleted))
        {
            if (AppAttributes.Of(await inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken)) is not { } app)
            {
                continue;
            }

            try
            {
                var sp = await entra.GetServicePrincipalAsync(app.ServicePrincipalId, cancellationToken);
                if (sp is null)
                {
                    warnings.Add(new(environment.Id, environment.Name, null, null, false, "The service principal no longer exists in Entra."));
                    continue;
                }

                var active = sp.PreferredTokenSigningKeyThumbprint;
                var key = active is null ? null : sp.KeyCredentials.FirstOrDefault(k => k.Usage == "Verify" && k.CustomKeyIdentifier is not null
                    && string.Equals(Convert.ToHexString(Convert.FromBase64String(k.CustomKeyIdentifier)), active, StringComparison.OrdinalIgnoreCase));
                if (key?.EndDateTime is { } notAfter && notAfter <= now.AddDays(withinDays))
                {
                    warnings.Add(new(environment.Id, environment.Name, active, notAfter, notAfter <= now, null));
                }
            }
            catch (Exception ex) when (ex is EntraServiceException or FormatException)
            {
                warnings.Add(new(environment.Id, environment.Name, null, null, false, $"Could not read the signing certificate: {ex.Message}"));
            }
        }

        return warnings.OrderBy(w => w.NotAfter ?? DateTimeOffset.MaxValue).ToList();
    }

    /// <summary>
    /// SAML IdP metadata naming the issuer, its sign-on URLs and every given signing certificate, as IAM accepts it
    /// (UTF-8 without BOM, one signing <c>KeyDescriptor</c> per certificate, unsigned: IAM does not require a signature).
    /// </summary>
    public static string BuildMetadata(string entityId, IReadOnlyList<string> singleSignOnUrls, IReadOnlyList<byte[]> certificates)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            writer.WriteStartElement("EntityDescriptor", SamlXml.Metadata);
            writer.WriteAttributeString("ID", "_" + Guid.NewGuid().ToString("D"));
            writer.WriteAttributeString("entityID", entityId);
            writer.WriteStartElement("IDPSSODescriptor", SamlXml.Metadata);
            writer.WriteAttributeString("protocolSupportEnumeration", SamlXml.Protocol);
            foreach (var certificate in certificates)
            {
                writer.WriteStartElement("KeyDescriptor", SamlXml.Metadata);
                writer.WriteAttributeString("use", "signing");
                writer.WriteStartElement("KeyInfo", SamlXml.DSig);
                writer.WriteStartElement("X509Data", SamlXml.DSig);
                writer.WriteElementString("X509Certificate", SamlXml.DSig, Convert.ToBase64String(certificate));
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            foreach (var url in singleSignOnUrls)
            {
                foreach (var binding in new[] { "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" })
                {
                    writer.WriteStartElement("SingleSignOnService", SamlXml.Metadata);
                    writer.WriteAttributeString("Binding", binding);
                    writer.WriteAttributeString("Location", url);
                    writer.WriteEndElement();
                }
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + builder;
    }

    private sealed record CertificateAttributes(DateTimeOffset NotAfter, string? Previous);

    private sealed record LiveState(RotationState State, AppAttributes App, string? ProviderArn, IReadOnlyList<LiveCertificate> Certificates);

    private sealed record LiveCertificate(string Thumbprint, string DisplayName, DateTimeOffset StartDateTime, DateTimeOffset EndDateTime, byte[] PublicCertificate);

    private async Task<RotationState> RunStepAsync(
        PortalActor actor, Guid environmentId, RotationStep step, string action,
        Func<LiveState, FederationEnvironment, Task<(string TargetType, string? TargetId, object Details)>> run,
        CancellationToken cancellationToken)
    {
        if (!actor.IsAdmin)
        {
            await RecordAsync(actor, action, environmentId, AuditOutcome.Denied, $"Requires the {PortalRoles.Admin} role.", "Environment", environmentId.ToString(), new { step }, cancellationToken);
            throw new PortalAuthorizationException(action, actor);
        }

        var environment = await EnvironmentAsync(environmentId, cancellationToken);
        try
        {
            var live = await ReadAsync(environment, cancellationToken);
            if (!live.State.IsReady)
            {
                throw Invalid("environment", live.State.NotReadyReason!);
            }

            var (targetType, targetId, details) = await run(live, environment);
            await RecordAsync(actor, action, environmentId, AuditOutcome.Success, null, targetType, targetId, details, cancellationToken);
        }
        catch (Exception ex) when (ex is PortalValidationException or EntraServiceException or AwsServiceException)
        {
            await RecordAsync(actor, action, environmentId, AuditOutcome.Failure, ex.Message, "Environment", environmentId.ToString(), new { step }, cancellationToken);
            throw;
        }

        return (await ReadAsync(environment, cancellationToken)).State;
    }

    private async Task<LiveState> ReadAsync(FederationEnvironment environment, CancellationToken cancellationToken)
    {
        RotationState NotReady(string reason) => new(environment.Id, environment.Name, reason, null, null, null, [], [], [], null, []);
        if (AppAttributes.Of(await inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken)) is not { } app)
        {
            return new(NotReady("The enterprise application does not exist yet: apply the App registration stage first."), new AppAttributes("", "", ""), null, []);
        }

        var sp = await entra.GetServicePrincipalAsync(app.ServicePrincipalId, cancellationToken);
        if (sp is null)
        {
            return new(NotReady($"The service principal {app.ServicePrincipalId} no longer exists in Entra."), app, null, []);
        }

        var certificates = (await entra.ListTokenSigningCertificatesAsync(app.ServicePrincipalId, cancellationToken))
            .Select(c => new LiveCertificate(c.Thumbprint.ToUpperInvariant(), c.DisplayName, c.StartDateTime, c.EndDateTime, c.PublicCertificate))
            .ToList();
        var spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);
        var inventoryRecords = await inventory.ListAsync(environment.Id, cancellationToken);
        var providerArn = inventoryRecords.FirstOrDefault(r => r.Type == ResourceTypes.SamlProvider && r.CloudId.Length > 0)?.CloudId
                          ?? FederationNames.ProviderArn(environment, spec);
        var provider = await iam.GetSamlProviderAsync(providerArn, cancellationToken);
        if (provider?.MetadataDocument is null)
        {
            return new(NotReady($"The IAM SAML provider {providerArn} does not exist: apply the Metadata exchange stage first."), app, providerArn, certificates);
        }

        var now = clock.GetUtcNow();
        var inIam = (SamlMetadataParser.Parse(provider.MetadataDocument).Metadata?.SigningCertificates ?? [])
            .Select(c => new IamCertificateState(c.Thumbprint.ToUpperInvariant(), c.Subject, c.NotAfter, certificates.Any(e => e.Thumbprint == c.Thumbprint.ToUpperInvariant()), c.NotAfter <= now))
            .ToList();
        var active = sp.PreferredTokenSigningKeyThumbprint?.ToUpperInvariant();
        var entraStates = certificates
            .Select(c => new EntraCertificateState(c.Thumbprint, c.DisplayName, c.StartDateTime, c.EndDateTime,
                c.Thumbprint == active, inIam.Any(i => i.Thumbprint == c.Thumbprint), c.EndDateTime <= now))
            .OrderByDescending(c => c.NotBefore)
            .ToList();

        var warnings = new List<string>();
        if (active is null || !entraStates.Any(c => c.IsActive))
        {
            warnings.Add("Entra has no active (preferred) signing certificate for this application.");
        }
        else if (!inIam.Any(i => i.Thumbprint == active))
        {
            warnings.Add($"The IAM provider's metadata does not list the active certificate {active}: AWS refuses every sign-in (\"Response signature invalid\"). Publish it (step 2).");
        }

        // Which certificate is new and which are old: the portal's record of its last activation decides; failing that, age.
        var record = inventoryRecords.FirstOrDefault(r => r.Type == ResourceTypes.SigningCertificate);
        var previous = record?.Attributes is { } attributes ? JsonSerializer.Deserialize<CertificateAttributes>(attributes, EnvironmentSpec.Json)?.Previous?.ToUpperInvariant() : null;
        var activeState = entraStates.FirstOrDefault(c => c.IsActive);
        var candidates = entraStates.Where(c => !c.IsActive && !c.IsExpired).ToList();
        var activatedByUs = record?.CloudId.Equals(active, StringComparison.OrdinalIgnoreCase) == true && previous is not null && candidates.Any(c => c.Thumbprint == previous);
        var newer = activeState is null ? candidates : candidates.Where(c => c.NotBefore > activeState.NotBefore || (c.NotBefore == activeState.NotBefore && !activatedByUs)).ToList();
        string? newThumbprint = null;
        IReadOnlyList<string> old = [];
        RotationStep? next;
        if (!activatedByUs && newer.Count > 0 && active is not null)
        {
            newThumbprint = newer[0].Thumbprint;
            old = [active];
            next = inIam.Any(i => i.Thumbprint == newThumbprint) && inIam.Any(i => i.Thumbprint == active) ? RotationStep.Activate : RotationStep.PublishBoth;
        }
        else
        {
            old = entraStates.Where(c => !c.IsActive).Select(c => c.Thumbprint)
                .Concat(inIam.Where(i => i.Thumbprint != active).Select(i => i.Thumbprint))
                .Distinct()
                .ToList();
            newThumbprint = old.Count > 0 ? active : null;
            next = active is null ? null
                : !inIam.Any(i => i.Thumbprint == active) ? RotationStep.PublishBoth
                : old.Count > 0 ? RotationStep.RemoveOld
                : RotationStep.AddCertificate;
        }

        var state = new RotationState(environment.Id, environment.Name, null, providerArn, active, newThumbprint, old, entraStates, inIam, next, warnings);
        return new(state, app, providerArn, certificates);
    }

    private async Task RecordProviderAsync(FederationEnvironment environment, LiveState live, string entityId, IReadOnlyList<string> thumbprints, CancellationToken cancellationToken)
    {
        var record = (await inventory.ListAsync(environment.Id, cancellationToken)).FirstOrDefault(r => r.Type == ResourceTypes.SamlProvider && r.CloudId == live.ProviderArn);
        if (record is not null)
        {
            record.Attributes = JsonSerializer.Serialize(new { entityId, thumbprints }, EnvironmentSpec.Json);
            await inventory.UpsertAsync(record, cancellationToken);
        }
    }

    private async Task UpsertAsync(Guid environmentId, string type, string key, string cloudId, object attributes, CancellationToken cancellationToken)
    {
        var record = await inventory.FindAsync(environmentId, type, key, cancellationToken)
                     ?? new ManagedResource { EnvironmentId = environmentId, Type = type, Key = key, CreatedAt = clock.GetUtcNow() };
        record.CloudId = cloudId;
        record.Attributes = JsonSerializer.Serialize(attributes, EnvironmentSpec.Json);
        await inventory.UpsertAsync(record, cancellationToken);
    }

    private async Task<FederationEnvironment> EnvironmentAsync(Guid environmentId, CancellationToken cancellationToken)
        => await environments.FindAsync(environmentId, cancellationToken) ?? throw new PortalNotFoundException($"There is no environment {environmentId}.");

    private static PortalValidationException Invalid(string key, string message) => new(new Dictionary<string, string> { [key] = message });

    private Task RecordAsync(PortalActor actor, string action, Guid environmentId, AuditOutcome outcome, string? error, string targetType, string? targetId, object? details, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = outcome,
            EnvironmentId = environmentId,
            TargetType = targetType,
            TargetId = targetId,
            ErrorMessage = error,
            Details = details,
        }, cancellationToken);
}
