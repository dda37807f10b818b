using FederationPortal.Data.Configurations;
using Microsoft.Data.Sqlite;

namespace FederationPortal.Data.Security;

/// <summary>
/// Reads the stored secrets' ciphertexts straight from the database file, before the host (and EF) exist, so that
/// they can become configuration. A missing file or table (a fresh data folder) reads as nothing stored.
/// </summary>
public static class StoredSecretsReader
{
    public static IReadOnlyDictionary<string, string> ReadCiphertexts(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, DataServiceCollectionExtensions.DatabaseFileName);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $table";
        exists.Parameters.AddWithValue("$table", StoredSecretConfiguration.TableName);
        if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return result;
        }

        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT Name, Ciphertext FROM {StoredSecretConfiguration.TableName}";
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }
}
