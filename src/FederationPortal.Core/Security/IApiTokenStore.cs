using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>Persistence of API tokens (implemented by the Data project).</summary>
public interface IApiTokenStore
{
    Task AddAsync(ApiToken token, CancellationToken cancellationToken = default);

    Task<ApiToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken = default);

    Task<ApiToken?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken = default);

    Task UpdateAsync(ApiToken token, CancellationToken cancellationToken = default);
}
