using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace FederationPortal.Sandbox.Storage;

/// <summary>
/// The sandbox clouds' state: JSON documents by kind and id in their own SQLite file (<c>sandbox.db</c>), cached in
/// memory and written through, so that the emulated tenant and account survive a restart. Deleting the file resets
/// the sandbox.
/// </summary>
public sealed class SandboxDocumentStore : IDisposable
{
    public const string FileName = "sandbox.db";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteConnection connection;
    private readonly ConcurrentDictionary<(string Kind, string Id), string> cache = new();
    private readonly Lock writeLock = new();

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
        Execute("CREATE TABLE IF NOT EXISTS Documents (Kind TEXT NOT NULL, Id TEXT NOT NULL, Json TEXT NOT NULL, PRIMARY KEY (Kind, Id));");
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

    public void Dispose() => connection.Dispose();

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
