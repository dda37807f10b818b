namespace FederationPortal.Core.Environments;

/// <summary>Where an environment is in its life.</summary>
public enum EnvironmentStatus
{
    /// <summary>Created in the portal; nothing applied on either cloud yet.</summary>
    Draft,

    /// <summary>An operation is applying its plan.</summary>
    Provisioning,

    /// <summary>Applied: sign-in works as far as the portal knows.</summary>
    Active,

    /// <summary>The last operation failed; see its audit events.</summary>
    Failed,

    /// <summary>Teardown is in progress.</summary>
    TearingDown,

    /// <summary>Torn down on both clouds. Kept for the audit trail.</summary>
    Deleted,
}

/// <summary>One federation: an Entra tenant, an AWS account, and everything the portal manages in them.</summary>
public sealed class FederationEnvironment
{
    public Guid Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string EntraTenantId { get; set; } = string.Empty;

    public string AwsAccountId { get; set; } = string.Empty;

    public EnvironmentStatus Status { get; set; } = EnvironmentStatus.Draft;

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;

    /// <summary>The desired state the admin chose (JSON of the environment's spec); null until the wizard saves one.</summary>
    public string? DesiredStateJson { get; set; }

    /// <summary>Optimistic concurrency: bumped on every update.</summary>
    public long Version { get; set; }
}
