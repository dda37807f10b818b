using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Security;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Core.Tests.Environments;

public sealed class EnvironmentServiceTests
{
    private static readonly PortalActor Admin = new("admin-1", "Adele Vance", [PortalRoles.Admin]);
    private static readonly PortalActor Reader = new("reader-1", "Megan Bowen", [PortalRoles.Reader]);
    private static readonly EnvironmentDraft Valid = new("Contoso production", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333");

    private readonly InMemoryStore store = new();
    private readonly RecordingAuditTrail audit = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    private EnvironmentService Service => new(store, audit, clock);

    [Fact]
    public async Task Admin_creates_a_draft_environment_and_it_is_audited()
    {
        var created = await Service.CreateAsync(Admin, Valid, TestContext.Current.CancellationToken);

        Assert.Equal(EnvironmentStatus.Draft, created.Status);
        Assert.Equal(clock.GetUtcNow(), created.CreatedAt);
        Assert.Equal("Adele Vance", created.CreatedBy);
        Assert.Single(store.Items);
        var evt = Assert.Single(audit.Entries);
        Assert.Equal("environment.create", evt.Action);
        Assert.Equal(AuditOutcome.Success, evt.Outcome);
        Assert.Equal(created.Id, evt.EnvironmentId);
    }

    [Fact]
    public async Task Reader_is_refused_on_the_server_and_the_refusal_is_audited()
    {
        await Assert.ThrowsAsync<PortalAuthorizationException>(() => Service.CreateAsync(Reader, Valid, TestContext.Current.CancellationToken));

        Assert.Empty(store.Items);
        var evt = Assert.Single(audit.Entries);
        Assert.Equal(AuditOutcome.Denied, evt.Outcome);
        Assert.Equal("reader-1", evt.ActorId);
    }

    [Theory]
    [InlineData("x", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333", "Name")]
    [InlineData("Prod", "contoso.onmicrosoft.com", "111122223333", "EntraTenantId")]
    [InlineData("Prod", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "1111-2222-3333", "AwsAccountId")]
    public async Task Bad_input_names_the_field_saves_nothing_and_is_audited_as_failure(string name, string tenant, string account, string field)
    {
        var ex = await Assert.ThrowsAsync<PortalValidationException>(
            () => Service.CreateAsync(Admin, new EnvironmentDraft(name, tenant, account), TestContext.Current.CancellationToken));

        Assert.True(ex.Errors.ContainsKey(field), $"expected an error for {field}, got {string.Join(", ", ex.Errors.Keys)}");
        Assert.Empty(store.Items);
        Assert.Equal(AuditOutcome.Failure, Assert.Single(audit.Entries).Outcome);
    }

    [Fact]
    public async Task A_second_environment_with_the_same_name_is_refused()
    {
        await Service.CreateAsync(Admin, Valid, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<PortalValidationException>(() => Service.CreateAsync(Admin, Valid, TestContext.Current.CancellationToken));
        Assert.Contains("already exists", ex.Errors["Name"]);
        Assert.Single(store.Items);
    }

    private sealed class InMemoryStore : IEnvironmentStore
    {
        public List<FederationEnvironment> Items { get; } = [];

        public Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<FederationEnvironment>>(Items);

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

    private sealed class RecordingAuditTrail : IAuditTrail
    {
        public List<AuditEntry> Entries { get; } = [];

        public Task<AuditEvent> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            Entries.Add(entry);
            return Task.FromResult(new AuditEvent { Sequence = Entries.Count, Action = entry.Action, Outcome = entry.Outcome });
        }

        public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<AuditEvent> StreamAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AuditIntegrityReport> VerifyIntegrityAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AuditFacets> GetFacetsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
