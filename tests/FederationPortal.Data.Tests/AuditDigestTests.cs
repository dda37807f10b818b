using System.Text.Json;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Data.Tests;

/// <summary>
/// Forgeries the hash chain alone cannot see (a changed event with every later hash recomputed, a reorder, a rewrite
/// of the whole chain, a deleted tail) are named by the signed digests, as CloudTrail's digest files name them.
/// </summary>
public sealed class AuditDigestTests : IAsyncLifetime
{
    private static readonly PortalActor Admin = new("u1", "Adele Vance", [PortalRoles.Admin]);
    private static readonly PortalActor Reader = new("u2", "Megan Bowen", [PortalRoles.Reader]);

    private DataFixture fixture = null!;

    private IAuditTrail Trail => fixture.Services.GetRequiredService<IAuditTrail>();

    private AuditDigestService Digests => new(Trail, fixture.Services.GetRequiredService<IAuditDigestStore>(), new TestProtector(), fixture.Clock);

    public async ValueTask InitializeAsync() => fixture = await DataFixture.CreateAsync();

    public ValueTask DisposeAsync() => fixture.DisposeAsync();

    private async Task RecordAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(1));
            await Trail.RecordAsync(new AuditEntry { ActorId = "u1", ActorName = "Adele Vance", Action = $"environment.update.{i}", Outcome = AuditOutcome.Success });
        }
    }

    /// <summary>Events 1–3, digest 1 (event 4, covering 1–4), events 5–7, digest 2 (event 8, covering 5–8).</summary>
    private async Task<(AuditDigest First, AuditDigest Second)> TwoDigestsAsync()
    {
        await RecordAsync(3);
        var first = await Digests.CreateDigestAsync();
        await RecordAsync(3);
        var second = await Digests.CreateDigestAsync();
        return (first!, second!);
    }

    [Fact]
    public async Task An_intact_trail_is_vouched_for_by_its_digests_and_each_digest_is_audited()
    {
        var (first, second) = await TwoDigestsAsync();

        Assert.Equal((1, 1L, 4L), (first.Number, first.FirstSequence, first.LastSequence));
        Assert.Equal((2, 5L, 8L), (second.Number, second.FirstSequence, second.LastSequence));
        Assert.Equal(first.Signature, second.PreviousSignature);
        Assert.Null(await Digests.CreateDigestAsync()); // nothing new since digest 2

        var report = await Digests.VerifyAsync();
        Assert.True(report.IsIntact, report.Problem);
        Assert.Equal(2, report.DigestsChecked);
        Assert.Equal(8, report.EventsChecked);
        var audited = await Trail.QueryAsync(new AuditQuery { Action = AuditDigestService.DigestAction });
        Assert.Equal(2, audited.TotalCount);
        Assert.All(audited.Items, e => Assert.Equal(("system", AuditOutcome.Success), (e.ActorId, e.Outcome)));
    }

    [Fact]
    public async Task A_changed_event_with_every_later_hash_recomputed_fools_the_chain_but_not_the_digest()
    {
        await TwoDigestsAsync();

        await RewriteAsync(events => events[5].ActorName = "Mallory"); // event 6

        Assert.True((await Trail.VerifyIntegrityAsync()).IsIntact, "the forger recomputed every hash: the chain alone holds");
        var report = await Digests.VerifyAsync();
        Assert.Equal(5, report.FirstBrokenSequence);
        Assert.StartsWith("Events 5–8 were rewritten: event 8 no longer has the hash signed digest 2", report.Problem);
    }

    [Fact]
    public async Task A_reorder_with_recomputed_hashes_is_named()
    {
        await TwoDigestsAsync();

        await RewriteAsync(events => (events[1].Action, events[2].Action) = (events[2].Action, events[1].Action)); // events 2 and 3

        var report = await Digests.VerifyAsync();
        Assert.Equal(1, report.FirstBrokenSequence);
        Assert.StartsWith("Events 1–4 were rewritten", report.Problem);
    }

    [Fact]
    public async Task A_rewrite_of_the_whole_chain_is_named_at_its_first_digest()
    {
        await TwoDigestsAsync();

        await RewriteAsync(events => events.ForEach(e => e.ActorName = "Mallory"));

        var report = await Digests.VerifyAsync();
        Assert.Equal(1, report.FirstBrokenSequence);
        Assert.Contains("were rewritten", report.Problem);
    }

    [Fact]
    public async Task A_deleted_tail_is_named_by_the_digest_that_vouched_for_it()
    {
        await TwoDigestsAsync();

        await fixture.ExecuteSqlAsync("DELETE FROM AuditEvents WHERE Sequence > 6;");

        Assert.True((await Trail.VerifyIntegrityAsync()).IsIntact, "a truncated chain still links");
        var report = await Digests.VerifyAsync();
        Assert.Equal(7, report.FirstBrokenSequence);
        Assert.StartsWith("Events 7–8 are missing: signed digest 2", report.Problem);
    }

    [Fact]
    public async Task A_digest_altered_to_match_a_rewrite_fails_its_signature()
    {
        var (_, second) = await TwoDigestsAsync();
        await RewriteAsync(events => events[5].ActorName = "Mallory");
        var forgedHash = (await Trail.QueryAsync(new AuditQuery { Action = AuditDigestService.DigestAction, SortBy = AuditSortField.Time, Descending = true })).Items[0].Hash;

        var path = Path.Combine(fixture.Directory, "audit", "digest-000002.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(second with { LastHash = forgedHash }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        var report = await Digests.VerifyAsync();
        Assert.Equal(5, report.FirstBrokenSequence);
        Assert.Contains("Digest 2's signature does not verify", report.Problem);
    }

    [Fact]
    public async Task A_removed_digest_breaks_the_digest_chain()
    {
        await TwoDigestsAsync();
        await RecordAsync(1);
        await Digests.CreateDigestAsync();

        File.Delete(Path.Combine(fixture.Directory, "audit", "digest-000002.json"));

        var report = await Digests.VerifyAsync();
        Assert.Equal(5, report.FirstBrokenSequence);
        Assert.Contains("Digest 3 does not follow digest 2", report.Problem);
    }

    [Fact]
    public async Task The_signing_key_is_sealed_outside_the_database_and_the_export_verifies_every_digest()
    {
        await TwoDigestsAsync();

        var sealedKey = await File.ReadAllTextAsync(Path.Combine(fixture.Directory, "audit", "signing-key"));
        Assert.StartsWith(TestProtector.Prefix, sealedKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fixture.Directory, "audit", "signing-key")));
        }

        var export = await Digests.ExportAsync();
        using var publicKey = System.Security.Cryptography.ECDsa.Create();
        publicKey.ImportFromPem(export.PublicKeyPem);
        Assert.Equal(2, export.Digests.Count);
        Assert.All(export.Digests, d => Assert.True(publicKey.VerifyData(
            System.Text.Encoding.UTF8.GetBytes(d.SignedContent), Convert.FromBase64String(d.Signature), System.Security.Cryptography.HashAlgorithmName.SHA256)));
    }

    [Fact]
    public async Task Signing_now_needs_an_admin_and_a_refusal_is_audited()
    {
        await RecordAsync(2);

        await Assert.ThrowsAsync<PortalAuthorizationException>(() => Digests.SignNowAsync(Reader));
        var digest = await Digests.SignNowAsync(Admin);

        Assert.Equal(4, digest!.LastSequence); // covers the refusal (event 3) and its own event (4)
        var events = (await Trail.QueryAsync(new AuditQuery { Action = AuditDigestService.DigestAction, SortBy = AuditSortField.Time })).Items;
        Assert.Equal(2, events.Count);
        Assert.Contains(events, e => e.Outcome == AuditOutcome.Denied && e.ActorName == "Megan Bowen");
        Assert.Contains(events, e => e.Outcome == AuditOutcome.Success && e.ActorName == "Adele Vance");
    }

    /// <summary>Rewrites events as a forger with database access would: changes content, recomputes every hash and link.</summary>
    private async Task RewriteAsync(Action<List<AuditEvent>> change)
    {
        var events = new List<AuditEvent>();
        await foreach (var evt in Trail.StreamAsync(new AuditQuery { Descending = false }))
        {
            events.Add(evt);
        }

        change(events);
        var previous = AuditHasher.GenesisHash;
        await using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        foreach (var evt in events)
        {
            evt.PreviousHash = previous;
            evt.Hash = AuditHasher.ComputeHash(evt);
            previous = evt.Hash;
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE AuditEvents SET ActorName = $actor, Action = $action, PreviousHash = $previous, Hash = $hash WHERE Sequence = $sequence;";
            command.Parameters.AddWithValue("$actor", evt.ActorName);
            command.Parameters.AddWithValue("$action", evt.Action);
            command.Parameters.AddWithValue("$previous", evt.PreviousHash);
            command.Parameters.AddWithValue("$hash", evt.Hash);
            command.Parameters.AddWithValue("$sequence", evt.Sequence);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    private sealed class TestProtector : ISecretProtector
    {
        public const string Prefix = "sealed:";

        public string Protect(string plaintext) => Prefix + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(plaintext));

        public string Unprotect(string ciphertext) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(ciphertext[Prefix.Length..]));
    }
}
