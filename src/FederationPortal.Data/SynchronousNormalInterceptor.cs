using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FederationPortal.Data;

/// <summary>
/// <c>PRAGMA synchronous=NORMAL</c> on every connection the portal opens (the setting is per connection). In WAL mode
/// this is SQLite's recommended setting: commits stay atomic and survive a crash of the process (the kill suite proves
/// it); only a power loss or OS crash can drop the last commits, which the lifecycle engine recovers from by adopting
/// what it created. It removes one fsync per commit, which was the setup engine's bottleneck with many parallel actions.
/// </summary>
internal sealed class SynchronousNormalInterceptor : DbConnectionInterceptor
{
    public const string Pragma = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
