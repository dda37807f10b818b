using FederationPortal.Core.Environments;
using Microsoft.EntityFrameworkCore;

namespace FederationPortal.Data.Environments;

internal sealed class EfEnvironmentStore(IDbContextFactory<PortalDbContext> factory) : IEnvironmentStore
{
    public async Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Environments.AsNoTracking().OrderBy(e => e.Name).ToListAsync(cancellationToken);
    }

    public async Task<FederationEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
    }

    public async Task<bool> NameExistsAsync(string name, Guid? exceptId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Environments.AnyAsync(e => e.Name == name && e.Id != exceptId, cancellationToken);
    }

    public async Task AddAsync(FederationEnvironment environment, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Environments.Add(environment);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UpdateAsync(FederationEnvironment environment, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var original = environment.Version;
        environment.Version = original + 1;
        db.Environments.Attach(environment);
        db.Entry(environment).Property(e => e.Version).OriginalValue = original;
        db.Entry(environment).State = EntityState.Modified;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            environment.Version = original;
            throw new EnvironmentConcurrencyException(environment.Id);
        }
    }
}
