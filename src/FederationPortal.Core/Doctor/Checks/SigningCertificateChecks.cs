using FederationPortal.Core.Federation;

namespace FederationPortal.Core.Doctor.Checks;

/// <summary>The certificate Entra signs with must be in the IAM provider's metadata, or AWS rejects every response.</summary>
internal sealed class SigningCertificateInProviderCheck : IDoctorCheck
{
    public const string CheckId = "signing-certificate-in-provider";

    public string Id => CheckId;

    public string Title => "Entra's signing certificate is in the IAM provider's metadata";

    public Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<DoctorFinding> result = [Judge(context)];
        return Task.FromResult(result);
    }

    private DoctorFinding Judge(DoctorContext context)
    {
        const string subject = "IAM SAML provider";
        if (!context.HasApp)
        {
            return new(Id, DoctorStatus.Skipped, subject, "The enterprise application has not been created yet.", "Apply the App registration stage.");
        }

        if (context.ServicePrincipal is null)
        {
            return new(Id, DoctorStatus.Failed, subject, "The app's service principal no longer exists in Entra: nobody can sign in.", "Apply the App registration stage again.");
        }

        var active = context.ServicePrincipal.PreferredTokenSigningKeyThumbprint;
        if (string.IsNullOrEmpty(active))
        {
            return new(Id, DoctorStatus.Failed, subject, "The app has no active token-signing certificate: Entra cannot sign SAML responses.", "Apply the App registration stage again (it creates one).");
        }

        if (context.Provider is null)
        {
            return new(Id, DoctorStatus.Failed, subject,
                $"The IAM SAML provider {context.ProviderArn} does not exist: AWS answers 'Specified provider doesn't exist'.",
                "Upload the app's federation metadata to IAM.", DoctorFixes.UploadMetadata);
        }

        if (context.ProviderMetadata is null)
        {
            return new(Id, DoctorStatus.Failed, subject, $"IAM holds metadata for {context.ProviderArn} that cannot be read.",
                "Upload the app's current federation metadata to IAM.", DoctorFixes.UploadMetadata);
        }

        var known = context.ProviderMetadata.SigningCertificates.Select(c => c.Thumbprint).ToList();
        if (!known.Contains(active, StringComparer.OrdinalIgnoreCase))
        {
            return new(Id, DoctorStatus.Failed, subject,
                $"Entra signs with certificate {active}, but the IAM provider's metadata only holds {string.Join(", ", known.DefaultIfEmpty("no certificate"))}. " +
                "The certificate was rotated in Entra without updating AWS: every sign-in fails with 'Response signature invalid'.",
                "Upload the app's current federation metadata to the IAM provider.", DoctorFixes.UploadMetadata);
        }

        var entityId = $"https://sts.windows.net/{context.Environment.EntraTenantId}/";
        if (!string.Equals(context.ProviderMetadata.EntityId, entityId, StringComparison.OrdinalIgnoreCase))
        {
            return new(Id, DoctorStatus.Failed, subject,
                $"The IAM provider's metadata names issuer {context.ProviderMetadata.EntityId}, not this tenant's {entityId}: AWS answers 'Issuer not present in specified provider'.",
                "Upload the app's current federation metadata to the IAM provider.", DoctorFixes.UploadMetadata);
        }

        return new(Id, DoctorStatus.Passed, subject, $"Entra's active certificate {active} is in the metadata of {context.ProviderArn}.");
    }
}

/// <summary>An expired signing certificate stops every sign-in; warn ahead of time.</summary>
internal sealed class SigningCertificateExpiryCheck : IDoctorCheck
{
    public const string CheckId = "signing-certificate-expiry";

    public string Id => CheckId;

    public string Title => "The signing certificate is not expired or about to expire";

    public Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<DoctorFinding> result = [Judge(context)];
        return Task.FromResult(result);
    }

    private DoctorFinding Judge(DoctorContext context)
    {
        const string subject = "Signing certificate";
        const string rotate = "Rotate the certificate: add a new one, put both into the IAM provider's metadata, make the new one active, then remove the old one: the environment's Certificates page guides each step.";
        if (context.ServicePrincipal is not { } sp || string.IsNullOrEmpty(sp.PreferredTokenSigningKeyThumbprint))
        {
            return new(Id, DoctorStatus.Skipped, subject, "There is no active signing certificate to date (see the certificate check).");
        }

        var active = sp.KeyCredentials
            .Where(k => string.Equals(DoctorParsing.Thumbprint(k), sp.PreferredTokenSigningKeyThumbprint, StringComparison.OrdinalIgnoreCase) && k.EndDateTime is not null)
            .OrderByDescending(k => k.EndDateTime)
            .FirstOrDefault();
        if (active?.EndDateTime is not { } notAfter)
        {
            return new(Id, DoctorStatus.Warning, subject, $"Entra does not say until when certificate {sp.PreferredTokenSigningKeyThumbprint} is valid.", rotate);
        }

        var days = (notAfter - context.Now).TotalDays;
        if (days <= 0)
        {
            return new(Id, DoctorStatus.Failed, subject,
                $"The active signing certificate {sp.PreferredTokenSigningKeyThumbprint} expired on {notAfter:yyyy-MM-dd}: AWS refuses every sign-in.", rotate);
        }

        if (days <= context.Options.CertificateExpiryWarningDays)
        {
            return new(Id, DoctorStatus.Warning, subject,
                $"The active signing certificate {sp.PreferredTokenSigningKeyThumbprint} expires on {notAfter:yyyy-MM-dd}, in {Math.Ceiling(days):0} day(s) (warning threshold {context.Options.CertificateExpiryWarningDays} days). After that nobody can sign in.", rotate);
        }

        return new(Id, DoctorStatus.Passed, subject, $"The active signing certificate is valid until {notAfter:yyyy-MM-dd} ({Math.Floor(days):0} days).");
    }
}
