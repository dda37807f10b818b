using FederationPortal.Core.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace FederationPortal.Data.Lifecycle;

internal sealed class EfResourceInventory(IDbContextFactory<PortalDbContext> factory) : IResourceInventory
{
    public async Task<IReadOnlyList<ManagedResource>> ListAsync(Guid environmentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ManagedResources.AsNoTracking()
            .Where(r => r.EnvironmentId == environmentId)
            .OrderBy(r => r.Type).ThenBy(r => r.Key)
            .ToListAsync(cancellationToken);
    }

    public async Task<ManagedResource?> FindAsync(Guid environmentId, string type, string key, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ManagedResources.AsNoTracking()
            .FirstOrDefaultAsync(r => r.EnvironmentId == environmentId && r.Type == type && r.Key == key, cancellationToken);
    }

    public async Task UpsertAsync(ManagedResource resource, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var existing = await db.ManagedResources.FirstOrDefaultAsync(
            r => r.EnvironmentId == resource.EnvironmentId && r.Type == resource.Type && r.Key == resource.Key, cancellationToken);
        if (existing is null)
        {
            db.ManagedResources.Add(resource);
        }
        else
        {
            existing.CloudId = resource.CloudId;
            existing.Attributes = resource.Attributes;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RemoveAsync(Guid environmentId, string type, string key, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.ManagedResources.Where(r => r.EnvironmentId == environmentId && r.Type == type && r.Key == key).ExecuteDeleteAsync(cancellationToken);
    }
}
