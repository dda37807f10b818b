using FederationPortal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Data.Tests;

/// <summary>A migrated portal database in a temp folder with a controllable clock.</summary>
public sealed class DataFixture : IAsyncDisposable
{
    private DataFixture(ServiceProvider services, string directory, FakeTimeProvider clock)
    {
        Services = services;
        Directory = directory;
        Clock = clock;
    }

    public ServiceProvider Services { get; }

    public string Directory { get; }

    public FakeTimeProvider Clock { get; }

    public string DatabasePath => Path.Combine(Directory, DataServiceCollectionExtensions.DatabaseFileName);

    public static async Task<DataFixture> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fp-data-tests", Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddPortalData(directory)
            .BuildServiceProvider();
        await services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync();
        return new DataFixture(services, directory, clock);
    }

    /// <summary>Runs raw SQL against the database file, as an attacker with file access would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS temp cleaner
        }
    }
}
