using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>Persistence of stored secrets (implemented by the Data project).</summary>
public interface IStoredSecretStore
{
    Task<IReadOnlyList<StoredSecret>> ListAsync(CancellationToken cancellationToken = default);

    Task UpsertAsync(StoredSecret secret, CancellationToken cancellationToken = default);

    /// <summary>False when there was nothing to remove.</summary>
    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default);
}
