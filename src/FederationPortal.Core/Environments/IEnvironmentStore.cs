namespace FederationPortal.Core.Environments;

/// <summary>Persistence port for environments (implemented by the Data project).</summary>
public interface IEnvironmentStore
{
    Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default);

    Task<FederationEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<bool> NameExistsAsync(string name, Guid? exceptId, CancellationToken cancellationToken = default);

    Task AddAsync(FederationEnvironment environment, CancellationToken cancellationToken = default);

    /// <summary>Saves changes; throws <see cref="EnvironmentConcurrencyException"/> when someone else saved first.</summary>
    Task UpdateAsync(FederationEnvironment environment, CancellationToken cancellationToken = default);
}
