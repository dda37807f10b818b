namespace FederationPortal.Core.Lifecycle;

/// <summary>
/// A resource the portal created (or adopted) for an environment. The inventory is exact: it is what teardown
/// deletes, and nothing else.
/// </summary>
public sealed class ManagedResource
{
    public Guid EnvironmentId { get; set; }

    /// <summary>A resource type such as <c>aws.role</c>, <c>entra.application</c>.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>The logical name within the environment, e.g. the role name.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The cloud's id: an ARN, an object id, an access key id.</summary>
    public string CloudId { get; set; } = string.Empty;

    /// <summary>What else a later action or teardown needs to know (JSON, never secrets).</summary>
    public string? Attributes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Guid? CreatedByOperationId { get; set; }
}
