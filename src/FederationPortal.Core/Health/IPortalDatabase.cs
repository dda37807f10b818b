namespace FederationPortal.Core.Health;

/// <summary>What Settings and the health check may ask of the portal database (implemented by the Data project).</summary>
public interface IPortalDatabase
{
    /// <summary>True when the database answers a trivial query.</summary>
    Task<bool> CanConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>The journal mode SQLite reports (expected: <c>wal</c>).</summary>
    Task<string> GetJournalModeAsync(CancellationToken cancellationToken = default);
}
