namespace FederationPortal.Sandbox.Entra.Tenant;

// What the emulated tenant stores, one JSON document per object in the sandbox store. The Graph representations
// are built from these by GraphJson; fields Graph does not show (visibility delay, private keys) stay here.

internal sealed class StoredAppRole
{
    public Guid Id { get; set; }

    public string DisplayName { get; set; } = "";

    public string? Description { get; set; }

    public string? Value { get; set; }

    public bool IsEnabled { get; set; } = true;

    public List<string> AllowedMemberTypes { get; set; } = ["User"];

    public string? Origin { get; set; } = "Application";
}

internal sealed class StoredApplication
{
    public const string Kind = "entra.application";

    public string Id { get; set; } = "";

    public string AppId { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? ApplicationTemplateId { get; set; }

    public DateTimeOffset CreatedDateTime { get; set; }

    public DateTimeOffset VisibleFrom { get; set; }

    public List<string> IdentifierUris { get; set; } = [];

    public List<string> RedirectUris { get; set; } = [];

    public string? HomePageUrl { get; set; }

    public string? LogoutUrl { get; set; }

    public List<StoredAppRole> AppRoles { get; set; } = [];
}

internal sealed class StoredKeyCredential
{
    public Guid KeyId { get; set; }

    public string CustomKeyIdentifier { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public DateTimeOffset StartDateTime { get; set; }

    public DateTimeOffset EndDateTime { get; set; }

    public string Type { get; set; } = "AsymmetricX509Cert";

    public string Usage { get; set; } = "Verify";
}

internal sealed class StoredPasswordCredential
{
    public Guid KeyId { get; set; }

    public string CustomKeyIdentifier { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public DateTimeOffset StartDateTime { get; set; }

    public DateTimeOffset EndDateTime { get; set; }
}

internal sealed class StoredServicePrincipal
{
    public const string Kind = "entra.servicePrincipal";

    public string Id { get; set; } = "";

    public string AppId { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? ApplicationTemplateId { get; set; }

    public DateTimeOffset CreatedDateTime { get; set; }

    public DateTimeOffset VisibleFrom { get; set; }

    public bool AccountEnabled { get; set; } = true;

    public bool AppRoleAssignmentRequired { get; set; } = true;

    public string? PreferredSingleSignOnMode { get; set; }

    public string? PreferredTokenSigningKeyThumbprint { get; set; }

    public string? RelayState { get; set; }

    public List<string> Tags { get; set; } = [];

    public List<StoredAppRole> AppRoles { get; set; } = [];

    public List<StoredKeyCredential> KeyCredentials { get; set; } = [];

    public List<StoredPasswordCredential> PasswordCredentials { get; set; } = [];

    public List<string> ClaimsMappingPolicyIds { get; set; } = [];
}

/// <summary>A token-signing key pair. Never served: only its certificate leaves the sandbox.</summary>
internal sealed class StoredSigningKey
{
    public const string Kind = "entra.signingKey";

    public string Thumbprint { get; set; } = "";

    public string OwnerId { get; set; } = "";

    public string Pkcs12 { get; set; } = "";
}

internal sealed class StoredClaimsMappingPolicy
{
    public const string Kind = "entra.claimsMappingPolicy";

    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public List<string> Definition { get; set; } = [];

    public bool IsOrganizationDefault { get; set; }
}

internal sealed class StoredAppRoleAssignment
{
    public const string Kind = "entra.appRoleAssignment";

    public string Id { get; set; } = "";

    public Guid AppRoleId { get; set; }

    public string PrincipalId { get; set; } = "";

    public string PrincipalType { get; set; } = "User";

    public string PrincipalDisplayName { get; set; } = "";

    public string ResourceId { get; set; } = "";

    public string ResourceDisplayName { get; set; } = "";

    public DateTimeOffset CreatedDateTime { get; set; }
}
