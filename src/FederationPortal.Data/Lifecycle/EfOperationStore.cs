using FederationPortal.Core.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace FederationPortal.Data.Lifecycle;

internal sealed class EfOperationStore(IDbContextFactory<PortalDbContext> factory) : IOperationStore
{
    private static readonly OperationStatus[] Unfinished = [OperationStatus.Pending, OperationStatus.Running];

    public async Task AddAsync(Operation operation, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Operations.Add(operation);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var operation = await db.Operations.AsNoTracking().Include(o => o.Actions).FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        operation?.Actions.Sort((a, b) => a.Order.CompareTo(b.Order));
        return operation;
    }

    public async Task<IReadOnlyList<Operation>> ListForEnvironmentAsync(Guid environmentId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Operations.AsNoTracking()
            .Where(o => o.EnvironmentId == environmentId)
            .OrderByDescending(o => o.CreatedAt)
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Operations.AsNoTracking()
            .Where(o => Unfinished.Contains(o.Status))
            .OrderBy(o => o.CreatedAt)
            .Select(o => o.Id)
            .ToListAsync(cancellationToken);
    }

    public async Task<Operation?> FindActiveForEnvironmentAsync(Guid environmentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Operations.AsNoTracking()
            .Where(o => o.EnvironmentId == environmentId && Unfinished.Contains(o.Status))
            .OrderBy(o => o.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SaveOperationStateAsync(Guid id, OperationStatus status, DateTimeOffset? startedAt, DateTimeOffset? completedAt, string? error, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Operations.Where(o => o.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(o => o.Status, status)
            .SetProperty(o => o.StartedAt, startedAt)
            .SetProperty(o => o.CompletedAt, completedAt)
            .SetProperty(o => o.Error, error), cancellationToken);
    }

    public async Task SaveActionStateAsync(OperationAction action, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.OperationActions
            .Where(a => a.OperationId == action.OperationId && a.ActionId == action.ActionId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Status, action.Status)
                .SetProperty(a => a.Attempts, action.Attempts)
                .SetProperty(a => a.StartedAt, action.StartedAt)
                .SetProperty(a => a.CompletedAt, action.CompletedAt)
                .SetProperty(a => a.Error, action.Error)
                .SetProperty(a => a.Result, action.Result), cancellationToken);
    }

    public async Task RequestCancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Operations.Where(o => o.Id == id).ExecuteUpdateAsync(set => set.SetProperty(o => o.CancelRequested, true), cancellationToken);
    }

    public async Task<bool> IsCancelRequestedAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Operations.AsNoTracking().Where(o => o.Id == id).Select(o => o.CancelRequested).FirstOrDefaultAsync(cancellationToken);
    }
}
