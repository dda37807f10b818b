namespace FederationPortal.Core.Audit;

/// <summary>
/// Where the digests and their signing key are kept: outside the portal database (the Data project uses files in the
/// data folder), so that whoever can rewrite the database cannot also rewrite what vouches for it.
/// </summary>
public interface IAuditDigestStore
{
    /// <summary>Every digest, in <see cref="AuditDigest.Number"/> order.</summary>
    Task<IReadOnlyList<AuditDigest>> ListAsync(CancellationToken cancellationToken = default);

    Task AddAsync(AuditDigest digest, CancellationToken cancellationToken = default);

    /// <summary>The signing key as the secret protector sealed it, or null before the first digest.</summary>
    Task<string?> ReadProtectedKeyAsync(CancellationToken cancellationToken = default);

    Task WriteProtectedKeyAsync(string protectedKey, CancellationToken cancellationToken = default);
}
