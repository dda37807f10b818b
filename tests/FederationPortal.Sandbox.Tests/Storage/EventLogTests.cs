using FederationPortal.Sandbox.Entra;
using FederationPortal.Sandbox.Entra.Graph;
using FederationPortal.Sandbox.Storage;

namespace FederationPortal.Sandbox.Tests.Storage;

/// <summary>The sandbox store's append-only event log: newest first, paged by position, bounded, persistent.</summary>
public sealed class EventLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("fp-eventlog").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Events_read_newest_first_within_the_time_range_and_page_after_a_position()
    {
        using var store = new SandboxDocumentStore(directory);
        for (var i = 0; i < 10; i++)
        {
            store.AppendEvent("s", T0.AddSeconds(i), $"{{\"n\":{i}}}", keepNewest: 1000, notBefore: T0.AddDays(-1));
        }

        store.AppendEvent("other", T0.AddSeconds(5), "{\"n\":-1}", keepNewest: 1000, notBefore: T0.AddDays(-1));

        var page = store.ReadEvents("s", from: T0.AddSeconds(2), to: T0.AddSeconds(8), after: null, limit: 3);
        Assert.Equal(["{\"n\":8}", "{\"n\":7}", "{\"n\":6}"], page.Select(e => e.Json));
        var next = store.ReadEvents("s", T0.AddSeconds(2), T0.AddSeconds(8), page[^1].Position, limit: 10);
        Assert.Equal(["{\"n\":5}", "{\"n\":4}", "{\"n\":3}", "{\"n\":2}"], next.Select(e => e.Json));
    }

    [Fact]
    public void Events_with_the_same_time_keep_their_append_order()
    {
        using var store = new SandboxDocumentStore(directory);
        foreach (var name in new[] { "a", "b", "c" })
        {
            store.AppendEvent("s", T0, $"\"{name}\"", keepNewest: 1000, notBefore: T0.AddDays(-1));
        }

        var first = store.ReadEvents("s", null, null, null, limit: 2);
        Assert.Equal(["\"c\"", "\"b\""], first.Select(e => e.Json));
        Assert.Equal(["\"a\""], store.ReadEvents("s", null, null, first[^1].Position, limit: 2).Select(e => e.Json));
    }

    [Fact]
    public void A_stream_is_bounded_by_count_and_age_and_survives_a_reopen()
    {
        using (var store = new SandboxDocumentStore(directory))
        {
            store.AppendEvent("s", T0.AddDays(-40), "\"old\"", keepNewest: 50, notBefore: T0.AddDays(-30));
            for (var i = 0; i < 3 * SandboxDocumentStore.TrimInterval; i++)
            {
                store.AppendEvent("s", T0.AddSeconds(i), $"{i}", keepNewest: 50, notBefore: T0.AddDays(-30));
            }

            var kept = store.ReadEvents("s", null, null, null, limit: 10_000);
            Assert.InRange(kept.Count, 50, 50 + SandboxDocumentStore.TrimInterval);
            Assert.Equal($"{(3 * SandboxDocumentStore.TrimInterval) - 1}", kept[0].Json);
            Assert.DoesNotContain(kept, e => e.Json == "\"old\"");
        }

        using var reopened = new SandboxDocumentStore(directory);
        reopened.AppendEvent("s", T0.AddDays(1), "\"after restart\"", keepNewest: 50, notBefore: T0.AddDays(-30));
        var all = reopened.ReadEvents("s", null, null, null, limit: 10_000);
        Assert.Equal(50, all.Count);
        Assert.Equal("\"after restart\"", all[0].Json);
    }

    [Fact]
    public void Sign_ins_an_older_sandbox_kept_as_documents_move_to_the_event_log_once()
    {
        var now = DateTimeOffset.UtcNow;
        using (var old = new SandboxDocumentStore(directory))
        {
            old.Put("entra.signIn", "s1", new { Id = "s1", CreatedDateTime = now.AddMinutes(-2), UserPrincipalName = "a@contoso.example", AppId = "app", AppDisplayName = "App", ErrorCode = 0 });
            old.Put("entra.signIn", "s2", new { Id = "s2", CreatedDateTime = now.AddMinutes(-1), UserPrincipalName = "b@contoso.example", AppId = "app", AppDisplayName = "App", ErrorCode = 50105, FailureReason = "not assigned" });
        }

        using var store = new SandboxDocumentStore(directory);
        var log = new EntraActivityLog(store, TimeProvider.System);
        Assert.Equal(["s2", "s1"], log.SignIns().Select(s => s.Id));
        Assert.Equal(50105, log.SignIns()[0].ErrorCode);
        Assert.All(log.SignIns(), s => Assert.True(Guid.TryParse(s.CorrelationId, out _)));
        Assert.Empty(store.List<object>("entra.signIn"));
        Assert.Equal(2, new EntraActivityLog(store, TimeProvider.System).SignIns().Count);
    }
}
