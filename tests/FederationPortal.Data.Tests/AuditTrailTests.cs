using FederationPortal.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Data.Tests;

public sealed class AuditTrailTests : IAsyncLifetime
{
    private DataFixture fixture = null!;

    private IAuditTrail Trail => fixture.Services.GetRequiredService<IAuditTrail>();

    public async ValueTask InitializeAsync() => fixture = await DataFixture.CreateAsync();

    public ValueTask DisposeAsync() => fixture.DisposeAsync();

    private static AuditEntry Entry(string action, string actor = "u1", AuditOutcome outcome = AuditOutcome.Success, Guid? environment = null, object? details = null) => new()
    {
        ActorId = actor,
        ActorName = actor == "u1" ? "Adele Vance" : "Megan Bowen",
        Action = action,
        Outcome = outcome,
        EnvironmentId = environment,
        Details = details,
    };

    [Fact]
    public async Task Events_chain_from_genesis_with_gapless_sequence_and_clock_time()
    {
        var first = await Trail.RecordAsync(Entry("auth.signin"));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Trail.RecordAsync(Entry("environment.create"));

        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(AuditHasher.GenesisHash, first.PreviousHash);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(fixture.Clock.GetUtcNow(), second.TimestampUtc);
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Trail.RecordAsync(Entry($"bulk.{i % 4}"))));

        var report = await Trail.VerifyIntegrityAsync();
        Assert.True(report.IsIntact, report.Problem);
        Assert.Equal(40, report.EventsChecked);
    }

    [Fact]
    public async Task Verify_reports_the_first_altered_event()
    {
        for (var i = 0; i < 5; i++)
        {
            await Trail.RecordAsync(Entry("auth.signin"));
        }

        await fixture.ExecuteSqlAsync("UPDATE AuditEvents SET ActorName = 'Mallory' WHERE Sequence = 3;");

        var report = await Trail.VerifyIntegrityAsync();
        Assert.False(report.IsIntact);
        Assert.Equal(3, report.FirstBrokenSequence);
        Assert.Contains("altered", report.Problem);
    }

    [Fact]
    public async Task Verify_reports_a_deleted_event_as_a_gap()
    {
        for (var i = 0; i < 4; i++)
        {
            await Trail.RecordAsync(Entry("auth.signin"));
        }

        await fixture.ExecuteSqlAsync("DELETE FROM AuditEvents WHERE Sequence = 2;");

        var report = await Trail.VerifyIntegrityAsync();
        Assert.Equal(2, report.FirstBrokenSequence);
        Assert.Contains("missing", report.Problem);
    }

    [Fact]
    public async Task Verify_catches_a_rehashed_forgery_by_its_broken_link()
    {
        for (var i = 0; i < 3; i++)
        {
            await Trail.RecordAsync(Entry("auth.signin"));
        }

        // A forger who recomputes the hash of the event they changed still breaks the next event's link.
        await fixture.ExecuteSqlAsync("UPDATE AuditEvents SET Hash = '" + new string('a', 64) + "' WHERE Sequence = 2;");

        var report = await Trail.VerifyIntegrityAsync();
        Assert.Equal(2, report.FirstBrokenSequence);
    }

    [Fact]
    public async Task Details_are_stored_with_secrets_redacted()
    {
        var evt = await Trail.RecordAsync(Entry("provisioning.handover", details: new { accessKeyId = "AKIAIOSFODNN7EXAMPLE", secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }));

        var page = await Trail.QueryAsync(new AuditQuery());
        var stored = Assert.Single(page.Items);
        Assert.Equal(evt.Id, stored.Id);
        Assert.Contains("AKIAIOSFODNN7EXAMPLE", stored.DetailsJson);
        Assert.DoesNotContain("wJalrXUtnFEMI", stored.DetailsJson);
    }

    [Fact]
    public async Task Query_filters_sorts_and_pages_on_the_server()
    {
        var env = Guid.NewGuid();
        for (var i = 0; i < 30; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(1));
            await Trail.RecordAsync(Entry(i % 3 == 0 ? "environment.create" : "auth.signin", actor: i % 2 == 0 ? "u1" : "u2",
                outcome: i % 5 == 0 ? AuditOutcome.Failure : AuditOutcome.Success, environment: i < 10 ? env : null));
        }

        var creates = await Trail.QueryAsync(new AuditQuery { Action = "environment.create", PageSize = 100 });
        Assert.Equal(10, creates.TotalCount);
        Assert.All(creates.Items, e => Assert.Equal("environment.create", e.Action));

        var byEnv = await Trail.QueryAsync(new AuditQuery { EnvironmentId = env, PageSize = 100 });
        Assert.Equal(10, byEnv.TotalCount);

        var failures = await Trail.QueryAsync(new AuditQuery { Outcome = AuditOutcome.Failure, PageSize = 100 });
        Assert.Equal(6, failures.TotalCount);

        var byActor = await Trail.QueryAsync(new AuditQuery { ActorId = "u2", PageSize = 100 });
        Assert.Equal(15, byActor.TotalCount);

        var page2 = await Trail.QueryAsync(new AuditQuery { Page = 1, PageSize = 10 });
        Assert.Equal(30, page2.TotalCount);
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)(31 - i)), page2.Items.Select(e => e.Sequence));

        var oldestFirst = await Trail.QueryAsync(new AuditQuery { Descending = false, PageSize = 3 });
        Assert.Equal([1L, 2L, 3L], oldestFirst.Items.Select(e => e.Sequence));

        var from = new DateTimeOffset(2026, 11, 27, 8, 5, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 27, 8, 9, 0, TimeSpan.Zero);
        var window = await Trail.QueryAsync(new AuditQuery { From = from, To = to, PageSize = 100 });
        Assert.Equal(5, window.TotalCount);
        Assert.All(window.Items, e => Assert.InRange(e.TimestampUtc, from, to));
    }

    [Fact]
    public async Task Free_text_search_looks_into_actor_details_and_errors_and_treats_wildcards_literally()
    {
        await Trail.RecordAsync(Entry("auth.signin"));
        await Trail.RecordAsync(Entry("environment.create", details: new { name = "Contoso_100%" }));
        await Trail.RecordAsync(new AuditEntry { ActorId = "u2", ActorName = "Megan Bowen", Action = "environment.create", Outcome = AuditOutcome.Denied, ErrorMessage = "Requires the Admin role." });

        Assert.Equal(1, (await Trail.QueryAsync(new AuditQuery { Search = "megan" })).TotalCount);
        Assert.Equal(1, (await Trail.QueryAsync(new AuditQuery { Search = "Contoso_100%" })).TotalCount);
        Assert.Equal(0, (await Trail.QueryAsync(new AuditQuery { Search = "Contoso_1000" })).TotalCount);
        Assert.Equal(1, (await Trail.QueryAsync(new AuditQuery { Search = "requires the" })).TotalCount);
        Assert.Equal(0, (await Trail.QueryAsync(new AuditQuery { Search = "%" })).TotalCount - 1);
    }

    [Fact]
    public async Task Stream_returns_every_matching_event_across_batches_in_order()
    {
        for (var i = 0; i < 2500; i++)
        {
            await Trail.RecordAsync(Entry(i % 2 == 0 ? "a" : "b"));
        }

        var sequences = new List<long>();
        await foreach (var evt in Trail.StreamAsync(new AuditQuery { Action = "a", Descending = false }))
        {
            sequences.Add(evt.Sequence);
        }

        Assert.Equal(1250, sequences.Count);
        Assert.Equal(sequences.OrderBy(s => s), sequences);
        Assert.All(sequences, s => Assert.Equal(1, s % 2));
    }

    [Fact]
    public async Task Facets_list_distinct_actions_and_actors()
    {
        await Trail.RecordAsync(Entry("b.action"));
        await Trail.RecordAsync(Entry("a.action", actor: "u2"));
        await Trail.RecordAsync(Entry("a.action"));

        var facets = await Trail.GetFacetsAsync();
        Assert.Equal(["a.action", "b.action"], facets.Actions);
        Assert.Equal(["Adele Vance", "Megan Bowen"], facets.Actors.Select(a => a.DisplayName));
    }

    [Fact]
    public async Task A_new_trail_instance_continues_the_chain_from_the_database()
    {
        await Trail.RecordAsync(Entry("one"));
        await using var second = fixture.Services.CreateAsyncScope();

        // A second process-lifetime (new singleton) must read the tail rather than restart from genesis.
        var trail2 = ActivatorUtilities.CreateInstance<FederationPortal.Data.Audit.SqliteAuditTrail>(fixture.Services);
        var next = await trail2.RecordAsync(Entry("two"));
        Assert.Equal(2, next.Sequence);
        Assert.True((await trail2.VerifyIntegrityAsync()).IsIntact);
    }

    [Fact]
    public async Task Counting_stops_at_the_limit_and_says_so()
    {
        var trail = fixture.Services.GetRequiredService<IAuditTrail>();
        // Fill past the limit quickly with raw rows: the count, not the chain, is under test here.
        await fixture.ExecuteSqlAsync(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + (AuditPage.CountLimit + 5) + ") " +
            "INSERT INTO AuditEvents (Sequence, Id, TimestampUtc, ActorId, ActorName, Action, Outcome, DetailsJson, PreviousHash, Hash) " +
            "SELECT i, lower(hex(randomblob(16))), i, 'u1', 'Adele Vance', 'bulk', 'Success', '{}', '', '' FROM n;");

        var page = await trail.QueryAsync(new AuditQuery { PageSize = 10 });
        Assert.True(page.IsTotalCapped);
        Assert.Equal(AuditPage.CountLimit, page.TotalCount);

        var narrow = await trail.QueryAsync(new AuditQuery { Action = "nothing-like-it" });
        Assert.False(narrow.IsTotalCapped);
        Assert.Equal(0, narrow.TotalCount);
    }
}
