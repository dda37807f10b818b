namespace FederationPortal.Core.Rotation;

/// <summary>The four steps of a signing-certificate rotation, in order.</summary>
public enum RotationStep
{
    /// <summary>Create a new token-signing certificate in Entra, not yet active.</summary>
    AddCertificate = 1,

    /// <summary>Put the active and the new certificate into the IAM provider's metadata.</summary>
    PublishBoth = 2,

    /// <summary>Make the new certificate the one Entra signs with.</summary>
    Activate = 3,

    /// <summary>Remove the old certificate from the service principal and from the IAM metadata.</summary>
    RemoveOld = 4,
}

/// <summary>A token-signing certificate of the service principal, as Entra holds it, and whether IAM trusts it.</summary>
public sealed record EntraCertificateState(string Thumbprint, string DisplayName, DateTimeOffset NotBefore, DateTimeOffset NotAfter, bool IsActive, bool InIamMetadata, bool IsExpired);

/// <summary>A signing certificate in the IAM provider's metadata, and whether Entra still holds it.</summary>
public sealed record IamCertificateState(string Thumbprint, string Subject, DateTimeOffset NotAfter, bool HeldByEntra, bool IsExpired);

/// <summary>
/// Where an environment's rotation stands, derived from the clouds alone (never from the UI): which steps are done,
/// which one comes next, and what each side holds.
/// </summary>
public sealed record RotationState(
    Guid EnvironmentId,
    string EnvironmentName,
    string? NotReadyReason,
    string? ProviderArn,
    string? ActiveThumbprint,
    string? NewThumbprint,
    IReadOnlyList<string> OldThumbprints,
    IReadOnlyList<EntraCertificateState> EntraCertificates,
    IReadOnlyList<IamCertificateState> IamCertificates,
    RotationStep? NextStep,
    IReadOnlyList<string> Warnings)
{
    public bool IsReady => NotReadyReason is null;

    /// <summary>True while a rotation is under way (a new certificate exists, or an old one is still held somewhere).</summary>
    public bool InProgress => NextStep is not (null or RotationStep.AddCertificate);

    /// <summary>A step counts as done when the next step is after it (and none is in progress: nothing to show as done).</summary>
    public bool IsDone(RotationStep step) => InProgress && NextStep > step;
}

/// <summary>An environment whose active signing certificate expires soon (or has).</summary>
public sealed record CertificateExpiryWarning(Guid EnvironmentId, string EnvironmentName, string? Thumbprint, DateTimeOffset? NotAfter, bool IsExpired, string? Problem);
