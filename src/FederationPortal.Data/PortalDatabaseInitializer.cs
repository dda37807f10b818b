using FederationPortal.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Data;

/// <summary>Applies pending migrations and switches the database to WAL mode. Runs once at start.</summary>
public sealed class PortalDatabaseInitializer(IDbContextFactory<PortalDbContext> factory, ILogger<PortalDatabaseInitializer> logger) : IPortalDatabase
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        if (pending.Count > 0)
        {
            logger.LogInformation("Applied {Count} migration(s) to the portal database: {Migrations}", pending.Count, pending);
        }
    }

    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken);
    }

    public async Task<string> GetJournalModeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
