using FederationPortal.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace FederationPortal.Data.Security;

internal sealed class EfStoredSecretStore(IDbContextFactory<PortalDbContext> factory) : IStoredSecretStore
{
    public async Task<IReadOnlyList<StoredSecret>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.StoredSecrets.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
    }

    public async Task UpsertAsync(StoredSecret secret, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var existing = await db.StoredSecrets.FirstOrDefaultAsync(s => s.Name == secret.Name, cancellationToken);
        if (existing is null)
        {
            db.StoredSecrets.Add(secret);
        }
        else
        {
            existing.Ciphertext = secret.Ciphertext;
            existing.UpdatedBy = secret.UpdatedBy;
            existing.UpdatedAt = secret.UpdatedAt;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.StoredSecrets.Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken) > 0;
    }
}
