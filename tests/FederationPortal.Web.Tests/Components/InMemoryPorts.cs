using System.Runtime.CompilerServices;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Web.Tests.Components;

/// <summary>Test double of the environment store.</summary>
public sealed class InMemoryEnvironmentStore : IEnvironmentStore
{
    public List<FederationEnvironment> Items { get; } = [];

    public Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<FederationEnvironment>>(Items.ToList());

    public Task<FederationEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(Items.FirstOrDefault(e => e.Id == id));

    public Task<bool> NameExistsAsync(string name, Guid? exceptId, CancellationToken cancellationToken = default)
        => Task.FromResult(Items.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) && e.Id != exceptId));

    public Task AddAsync(FederationEnvironment environment, CancellationToken cancellationToken = default)
    {
        Items.Add(environment);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(FederationEnvironment environment, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>Test double of the audit trail: keeps events in memory, reports a configurable integrity result.</summary>
public sealed class InMemoryAuditTrail : IAuditTrail
{
    public List<AuditEvent> Events { get; } = [];

    public AuditIntegrityReport Integrity { get; set; } = new(0, null, null);

    public Task<AuditEvent> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var evt = new AuditEvent
        {
            Sequence = Events.Count + 1,
            Id = Guid.NewGuid(),
            TimestampUtc = DateTimeOffset.UtcNow,
            ActorId = entry.ActorId,
            ActorName = entry.ActorName,
            Action = entry.Action,
            Outcome = entry.Outcome,
            EnvironmentId = entry.EnvironmentId,
            TargetType = entry.TargetType,
            TargetId = entry.TargetId,
            ErrorMessage = entry.ErrorMessage,
        };
        Events.Add(evt);
        return Task.FromResult(evt);
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var items = Events.Where(e => query.Action is null || e.Action == query.Action).OrderByDescending(e => e.Sequence).ToList();
        return Task.FromResult(new AuditPage(items.Skip(query.Page * query.PageSize).Take(query.PageSize).ToList(), items.Count));
    }

    public async IAsyncEnumerable<AuditEvent> StreamAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var evt in Events)
        {
            yield return evt;
        }
    }

    public Task<AuditIntegrityReport> VerifyIntegrityAsync(CancellationToken cancellationToken = default) => Task.FromResult(Integrity);

    public Task<AuditFacets> GetFacetsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult(new AuditFacets(Events.Select(e => e.Action).Distinct().ToList(), []));
}

/// <summary>Test double of the digest store: digests and the sealed key in memory.</summary>
public sealed class InMemoryAuditDigestStore : IAuditDigestStore
{
    public List<AuditDigest> Digests { get; } = [];

    public string? ProtectedKey { get; set; }

    public Task<IReadOnlyList<AuditDigest>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AuditDigest>>(Digests.ToList());

    public Task AddAsync(AuditDigest digest, CancellationToken cancellationToken = default)
    {
        Digests.Add(digest);
        return Task.CompletedTask;
    }

    public Task<string?> ReadProtectedKeyAsync(CancellationToken cancellationToken = default) => Task.FromResult(ProtectedKey);

    public Task WriteProtectedKeyAsync(string protectedKey, CancellationToken cancellationToken = default)
    {
        ProtectedKey = protectedKey;
        return Task.CompletedTask;
    }
}

/// <summary>A protector for tests that only need one: reversible, not secret.</summary>
public sealed class Base64TestProtector : FederationPortal.Core.Security.ISecretProtector
{
    public string Protect(string plaintext) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(plaintext));

    public string Unprotect(string ciphertext) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(ciphertext));
}
