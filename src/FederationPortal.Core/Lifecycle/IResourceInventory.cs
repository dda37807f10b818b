namespace FederationPortal.Core.Lifecycle;

/// <summary>Persistence of the inventory (implemented by the Data project).</summary>
public interface IResourceInventory
{
    Task<IReadOnlyList<ManagedResource>> ListAsync(Guid environmentId, CancellationToken cancellationToken = default);

    Task<ManagedResource?> FindAsync(Guid environmentId, string type, string key, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the resource with this environment, type and key.</summary>
    Task UpsertAsync(ManagedResource resource, CancellationToken cancellationToken = default);

    Task RemoveAsync(Guid environmentId, string type, string key, CancellationToken cancellationToken = default);
}
