using FederationPortal.Core.Audit;
using FederationPortal.Core.Preferences;
using FederationPortal.Core.Security;
using FederationPortal.Core.Tests.Lifecycle;

namespace FederationPortal.Core.Tests.Preferences;

public sealed class PreferencesServiceTests
{
    private static readonly PortalActor Reader = new("reader-1", "Megan Bowen", [PortalRoles.Reader]);

    private readonly MemoryPreferenceStore store = new();
    private readonly ListAuditTrail audit = new();

    private PreferencesService Service => new(store, audit);

    [Fact]
    public async Task A_reader_keeps_a_theme_of_their_own_and_the_change_is_audited()
    {
        await Service.SetDarkModeAsync(Reader, darkMode: true, TestContext.Current.CancellationToken);

        Assert.True(await Service.GetDarkModeAsync(Reader, TestContext.Current.CancellationToken));
        var entry = Assert.Single(audit.Entries);
        Assert.Equal((PreferencesService.ThemeAction, AuditOutcome.Success, "reader-1"), (entry.Action, entry.Outcome, entry.TargetId));
    }

    [Fact]
    public async Task Anonymous_is_refused_audited_and_stores_nothing()
    {
        await Assert.ThrowsAsync<PortalAuthorizationException>(() => Service.SetDarkModeAsync(PortalActor.Anonymous, true, TestContext.Current.CancellationToken));

        Assert.Empty(store.Values);
        Assert.Equal(AuditOutcome.Denied, Assert.Single(audit.Entries).Outcome);
        Assert.False(await Service.GetDarkModeAsync(PortalActor.Anonymous, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_failed_save_is_audited_as_a_failure_and_rethrown()
    {
        store.Fail = true;

        await Assert.ThrowsAsync<IOException>(() => Service.SetDarkModeAsync(Reader, true, TestContext.Current.CancellationToken));

        var entry = Assert.Single(audit.Entries);
        Assert.Equal(AuditOutcome.Failure, entry.Outcome);
        Assert.Equal("disk full", entry.ErrorMessage);
    }

    private sealed class MemoryPreferenceStore : IUserPreferenceStore
    {
        public Dictionary<string, bool> Values { get; } = [];

        public bool Fail { get; set; }

        public Task<bool> GetDarkModeAsync(string userId, CancellationToken cancellationToken = default)
            => Task.FromResult(Values.GetValueOrDefault(userId));

        public Task SetDarkModeAsync(string userId, bool darkMode, CancellationToken cancellationToken = default)
        {
            if (Fail)
            {
                throw new IOException("disk full");
            }

            Values[userId] = darkMode;
            return Task.CompletedTask;
        }
    }
}
