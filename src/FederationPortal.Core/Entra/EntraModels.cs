namespace FederationPortal.Core.Entra;

/// <summary>Well-known values of the AWS gallery app and of the SAML federation with AWS.</summary>
public static class EntraWellKnown
{
    /// <summary>"AWS Single-Account Access" (formerly "Amazon Web Services (AWS)").</summary>
    public const string AwsSingleAccountTemplateId = "8b1025e4-1dd2-430b-a150-2ef79cd700f5";

    /// <summary>IAM Identity Center: a different model, not the one the portal sets up.</summary>
    public const string AwsIdentityCenterTemplateId = "21ed01d2-ec13-4e9e-86c1-cd546719ebc4";

    public const string AwsSignInUrl = "https://signin.aws.amazon.com/saml";

    public const string RoleClaim = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameClaim = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    public const string SessionDurationClaim = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

    public const string AwsSynchronizationTemplateId = "aws";

    /// <summary>The claims mapping policy definition AWS needs (constants use <c>Value</c>, not <c>ID</c>).</summary>
    public static string AwsClaimsMappingDefinition(int sessionDurationSeconds = 3600) =>
        "{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"true\",\"ClaimsSchema\":[" +
        "{\"Source\":\"user\",\"ID\":\"assignedroles\",\"SamlClaimType\":\"" + RoleClaim + "\"}," +
        "{\"Source\":\"user\",\"ID\":\"userprincipalname\",\"SamlClaimType\":\"" + RoleSessionNameClaim + "\"}," +
        "{\"Value\":\"" + sessionDurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\",\"SamlClaimType\":\"" + SessionDurationClaim + "\"}]}}";
}

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
