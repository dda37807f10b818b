using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace FederationPortal.Sandbox.Storage;

/// <summary>
/// The sandbox clouds' state: JSON documents by kind and id in their own SQLite file (<c>sandbox.db</c>), cached in
/// memory and written through, so that the emulated tenant and account survive a restart. Deleting the file resets
/// the sandbox. Activity logs (CloudTrail events, sign-ins, directory audits) live beside the documents in an
/// append-only <c>Events</c> table, read newest first and trimmed to a bound per stream, not cached.
/// </summary>
public sealed class SandboxDocumentStore : IDisposable
{
    public const string FileName = "sandbox.db";

    /// <summary>How many appends of a stream between two trims of it.</summary>
    public const int TrimInterval = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteConnection connection;
    private readonly ConcurrentDictionary<(string Kind, string Id), string> cache = new();
    private readonly Lock writeLock = new();
    private readonly Dictionary<string, int> appendsSinceTrim = new(StringComparer.Ordinal);

    public SandboxDocumentStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Pooling = false,
        }.ToString());
        connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=NORMAL;"); // the emulated clouds need crash safety, not power-loss durability
        Execute("CREATE TABLE IF NOT EXISTS Documents (Kind TEXT NOT NULL, Id TEXT NOT NULL, Json TEXT NOT NULL, PRIMARY KEY (Kind, Id));");
        Execute("CREATE TABLE IF NOT EXISTS Events (Seq INTEGER PRIMARY KEY AUTOINCREMENT, Stream TEXT NOT NULL, Time INTEGER NOT NULL, Json TEXT NOT NULL);");
        Execute("CREATE INDEX IF NOT EXISTS IX_Events_Stream_Time ON Events (Stream, Time, Seq);");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Kind, Id, Json FROM Documents;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cache[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }
    }

    public T? Get<T>(string kind, string id) where T : class
        => cache.TryGetValue((kind, id), out var json) ? JsonSerializer.Deserialize<T>(json, Json) : null;

    public IReadOnlyList<T> List<T>(string kind)
        => cache.Where(entry => entry.Key.Kind == kind)
            .OrderBy(entry => entry.Key.Id, StringComparer.Ordinal)
            .Select(entry => JsonSerializer.Deserialize<T>(entry.Value, Json)!)
            .ToList();

    public void Put<T>(string kind, string id, T document)
    {
        var json = JsonSerializer.Serialize(document, Json);
        lock (writeLock)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO Documents (Kind, Id, Json) VALUES ($kind, $id, $json) ON CONFLICT (Kind, Id) DO UPDATE SET Json = excluded.Json;";
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$json", json);
            command.ExecuteNonQuery();
            cache[(kind, id)] = json;
        }
    }

    public bool Delete(string kind, string id)
    {
        lock (writeLock)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM Documents WHERE Kind = $kind AND Id = $id;";
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
            return cache.TryRemove((kind, id), out _);
        }
    }

    /// <summary>
    /// Appends one event to a stream and, every <see cref="TrimInterval"/> appends, drops the stream's events beyond
    /// the newest <paramref name="keepNewest"/> and those older than <paramref name="notBefore"/> (so a stream holds
    /// at most <paramref name="keepNewest"/> + <see cref="TrimInterval"/> events).
    /// </summary>
    public void AppendEvent(string stream, DateTimeOffset time, string json, int keepNewest, DateTimeOffset notBefore)
    {
        lock (writeLock)
        {
            using var transaction = connection.BeginTransaction();
            using (var insert = connection.CreateCommand())
            {
                insert.CommandText = "INSERT INTO Events (Stream, Time, Json) VALUES ($stream, $time, $json);";
                insert.Parameters.AddWithValue("$stream", stream);
                insert.Parameters.AddWithValue("$time", time.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$json", json);
                insert.ExecuteNonQuery();
            }

            // The first append of a stream since start trims too: the bound may have changed, time has passed.
            var due = !appendsSinceTrim.TryGetValue(stream, out var appended) || appended + 1 >= TrimInterval;
            appendsSinceTrim[stream] = due ? 0 : appended + 1;
            if (due)
            {
                using var trim = connection.CreateCommand();
                trim.CommandText = """
                    DELETE FROM Events WHERE Stream = $stream AND (Time < $notBefore OR Seq IN (
                        SELECT Seq FROM Events WHERE Stream = $stream ORDER BY Time DESC, Seq DESC LIMIT -1 OFFSET $keep));
                    """;
                trim.Parameters.AddWithValue("$stream", stream);
                trim.Parameters.AddWithValue("$notBefore", notBefore.ToUnixTimeMilliseconds());
                trim.Parameters.AddWithValue("$keep", keepNewest);
                trim.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events of a stream, newest first, within [<paramref name="from"/>, <paramref name="to"/>]
    /// and strictly older than the <paramref name="after"/> position (a previous page's last event), if given.
    /// </summary>
    public IReadOnlyList<StoredEvent> ReadEvents(string stream, DateTimeOffset? from, DateTimeOffset? to, EventPosition? after, int limit)
    {
        lock (writeLock)
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT Seq, Time, Json FROM Events
                WHERE Stream = $stream AND Time >= $from AND Time <= $to AND (Time < $afterTime OR (Time = $afterTime AND Seq < $afterSeq))
                ORDER BY Time DESC, Seq DESC LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$stream", stream);
            command.Parameters.AddWithValue("$from", from?.ToUnixTimeMilliseconds() ?? long.MinValue);
            command.Parameters.AddWithValue("$to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue);
            command.Parameters.AddWithValue("$afterTime", after?.Time ?? long.MaxValue);
            command.Parameters.AddWithValue("$afterSeq", after?.Seq ?? long.MaxValue);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var events = new List<StoredEvent>();
            while (reader.Read())
            {
                events.Add(new StoredEvent(new EventPosition(reader.GetInt64(1), reader.GetInt64(0)), reader.GetString(2)));
            }

            return events;
        }
    }

    public void Dispose() => connection.Dispose();

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>Where an event sits in its stream: its time (Unix milliseconds) and its insertion number.</summary>
public sealed record EventPosition(long Time, long Seq);

/// <summary>One event of an activity stream, as appended.</summary>
public sealed record StoredEvent(EventPosition Position, string Json);
