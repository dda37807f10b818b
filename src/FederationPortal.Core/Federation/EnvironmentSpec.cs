using System.Text.Json;
using System.Text.Json.Serialization;

namespace FederationPortal.Core.Federation;

/// <summary>
/// The desired state of one federation, as the admin chose it in the wizard or sent it to the API. The planner
/// compares it with what the portal created (the inventory) and produces the plan that closes the gap.
/// </summary>
public sealed record EnvironmentSpec
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public AppSpec App { get; init; } = new();

    /// <summary>The IAM SAML provider's name (1–128 of <c>[\w+=,.@-]</c>). Empty: derived from the environment name.</summary>
    public string? SamlProviderName { get; init; }

    /// <summary>
    /// A federation metadata document the admin uploaded (checked by <see cref="MetadataUpload"/>); null to fetch the
    /// app's metadata from Entra, which is the default and follows certificate changes.
    /// </summary>
    public string? UploadedMetadata { get; init; }

    public IReadOnlyList<RoleSpec> Roles { get; init; } = [];

    public ProvisioningSpec Provisioning { get; init; } = new();

    public IReadOnlyList<AssignmentSpec> Assignments { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static EnvironmentSpec FromJson(string? json)
        => string.IsNullOrWhiteSpace(json) ? new EnvironmentSpec() : JsonSerializer.Deserialize<EnvironmentSpec>(json, Json) ?? new EnvironmentSpec();
}

/// <summary>Where RoleSessionName comes from: what CloudTrail shows as the session's name.</summary>
public enum RoleSessionNameSource
{
    UserPrincipalName,
    ObjectId,
}

/// <summary>The Entra enterprise application from the AWS gallery template.</summary>
public sealed record AppSpec
{
    /// <summary>Empty: <c>AWS {environment name}</c>.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Validity of the token-signing certificate, in months (1–36: Entra allows at most three years).</summary>
    public int CertificateValidityMonths { get; init; } = 36;

    public RoleSessionNameSource RoleSessionName { get; init; } = RoleSessionNameSource.UserPrincipalName;

    /// <summary>The SessionDuration claim (900–43200 seconds); AWS only ever shortens a session with it.</summary>
    public int SessionDurationSeconds { get; init; } = 3600;
}

/// <summary>Ready-made permission sets for a role.</summary>
public enum RoleTemplate
{
    Administrator,
    ReadOnly,
    S3ReadOnly,
    PowerUser,
    SecurityAudit,
    Billing,
    Custom,
}

/// <summary>An IAM role people will assume through the federation.</summary>
public sealed record RoleSpec
{
    /// <summary>1–64 of <c>[\w+=,.@-]</c>.</summary>
    public string Name { get; init; } = string.Empty;

    public RoleTemplate Template { get; init; } = RoleTemplate.ReadOnly;

    /// <summary>For <see cref="RoleTemplate.Custom"/>: the AWS managed policy ARNs to attach (at most 10).</summary>
    public IReadOnlyList<string> ManagedPolicyArns { get; init; } = [];

    /// <summary>3600–43200 seconds.</summary>
    public int MaxSessionDurationSeconds { get; init; } = 3600;

    public string? Description { get; init; }
}

/// <summary>The IAM user whose access key lets Entra's AWS connector import the roles.</summary>
public sealed record ProvisioningSpec
{
    public bool Enabled { get; init; } = true;

    /// <summary>Empty: <c>FederationPortal-Provisioning-{environment}</c>.</summary>
    public string? UserName { get; init; }
}

public enum PrincipalKind
{
    User,
    Group,
}

/// <summary>A user or group of the tenant, assigned to one role.</summary>
public sealed record AssignmentSpec
{
    public string PrincipalId { get; init; } = string.Empty;

    public PrincipalKind PrincipalType { get; init; } = PrincipalKind.User;

    /// <summary>For people: the UPN or group name (the id is what counts).</summary>
    public string? PrincipalName { get; init; }

    /// <summary>The <see cref="RoleSpec.Name"/> of the role.</summary>
    public string RoleName { get; init; } = string.Empty;
}
