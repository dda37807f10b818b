namespace FederationPortal.Core.Entra;

public sealed record EntraApplicationTemplate(string Id, string DisplayName, string? Publisher, IReadOnlyList<string> SupportedSingleSignOnModes);

/// <summary>The application and service principal an instantiation created.</summary>
public sealed record EntraGalleryApp(EntraApplicationInfo Application, EntraServicePrincipalInfo ServicePrincipal);

public sealed record EntraApplicationInfo(
    string Id,
    string AppId,
    string DisplayName,
    IReadOnlyList<string> IdentifierUris,
    IReadOnlyList<string> RedirectUris);

public sealed record EntraServicePrincipalInfo(
    string Id,
    string AppId,
    string DisplayName,
    string? PreferredSingleSignOnMode,
    string? PreferredTokenSigningKeyThumbprint,
    IReadOnlyList<EntraAppRole> AppRoles,
    IReadOnlyList<EntraKeyCredential> KeyCredentials);

public sealed record EntraKeyCredential(Guid KeyId, string? DisplayName, string Type, string Usage, DateTimeOffset? StartDateTime, DateTimeOffset? EndDateTime, string? CustomKeyIdentifier);

/// <summary>A token-signing certificate Entra created (public part only: the private key never leaves Entra).</summary>
public sealed record EntraSigningCertificate(string Thumbprint, Guid KeyId, string DisplayName, DateTimeOffset StartDateTime, DateTimeOffset EndDateTime, byte[] PublicCertificate);

public sealed record EntraAppRole(
    Guid Id,
    string DisplayName,
    string? Description,
    string? Value,
    bool IsEnabled,
    IReadOnlyList<string> AllowedMemberTypes)
{
    /// <summary>An AWS role as Entra's provisioning connector names it: value <c>roleArn,providerArn</c>.</summary>
    public static EntraAppRole ForAwsRole(Guid id, string roleArn, string providerArn) => new(
        id,
        $"{roleArn[(roleArn.LastIndexOf('/') + 1)..]},{providerArn[(providerArn.LastIndexOf('/') + 1)..]}",
        null,
        $"{roleArn},{providerArn}",
        true,
        ["User"]);
}

public sealed record EntraClaimsMappingPolicy(string Id, string DisplayName, IReadOnlyList<string> Definition);

public sealed record EntraAppRoleAssignment(
    string Id,
    Guid AppRoleId,
    string PrincipalId,
    string? PrincipalDisplayName,
    string? PrincipalType,
    string ResourceId,
    DateTimeOffset? CreatedDateTime);

public sealed record EntraUser(string Id, string UserPrincipalName, string DisplayName, string? Mail, bool AccountEnabled);

public sealed record EntraGroup(string Id, string DisplayName, string? Description);

public sealed record EntraSynchronizationJob(
    string Id,
    string TemplateId,
    string? StatusCode,
    string? LastExecutionState,
    DateTimeOffset? LastExecutionEnded,
    string? LastExecutionError,
    bool Quarantined);

/// <summary>One provisioning cycle as <c>/auditLogs/provisioning</c> reports it.</summary>
public sealed record EntraProvisioningRun(
    string Id,
    DateTimeOffset? ActivityDateTime,
    string? JobId,
    string? Status,
    string? ErrorCode,
    string? Reason,
    string? Description);
