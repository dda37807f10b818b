using FederationPortal.Core.Environments;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Data.Tests;

public sealed class DatabaseTests : IAsyncLifetime
{
    private DataFixture fixture = null!;

    public async ValueTask InitializeAsync() => fixture = await DataFixture.CreateAsync();

    public ValueTask DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Migrations_run_at_start_and_the_database_uses_WAL()
    {
        var initializer = fixture.Services.GetRequiredService<PortalDatabaseInitializer>();
        Assert.True(File.Exists(fixture.DatabasePath));
        Assert.Equal("wal", await initializer.GetJournalModeAsync());
        await initializer.InitializeAsync(); // idempotent
    }

    [Fact]
    public async Task Every_connection_the_portal_opens_commits_with_synchronous_normal()
    {
        var factory = fixture.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PortalDbContext>>();
        for (var i = 0; i < 2; i++)
        {
            // A pooled connection reopened keeps getting the pragma (it is per connection, not stored in the file).
            await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.OpenConnectionAsync(db.Database, TestContext.Current.CancellationToken);
            var connection = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous;";
            Assert.Equal(1L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)); // 1 = NORMAL (FULL is 2)
        }
    }

    [Fact]
    public async Task Environment_store_round_trips_and_detects_a_concurrent_update()
    {
        var store = fixture.Services.GetRequiredService<IEnvironmentStore>();
        var env = new FederationEnvironment
        {
            Id = Guid.NewGuid(),
            Name = "Contoso prod",
            EntraTenantId = Guid.NewGuid().ToString(),
            AwsAccountId = "111122223333",
            CreatedAt = fixture.Clock.GetUtcNow(),
            UpdatedAt = fixture.Clock.GetUtcNow(),
        };
        await store.AddAsync(env);

        Assert.True(await store.NameExistsAsync("contoso PROD", null));
        Assert.False(await store.NameExistsAsync("contoso PROD", env.Id));

        var copyA = await store.FindAsync(env.Id);
        var copyB = await store.FindAsync(env.Id);
        copyA!.Status = EnvironmentStatus.Active;
        await store.UpdateAsync(copyA);

        copyB!.Status = EnvironmentStatus.Failed;
        await Assert.ThrowsAsync<EnvironmentConcurrencyException>(() => store.UpdateAsync(copyB));
        Assert.Equal(EnvironmentStatus.Active, (await store.FindAsync(env.Id))!.Status);
    }

    [Fact]
    public async Task Theme_preference_is_kept_per_user()
    {
        var preferences = fixture.Services.GetRequiredService<FederationPortal.Core.Preferences.IUserPreferenceStore>();
        await preferences.SetDarkModeAsync("u1", true);
        Assert.True(await preferences.GetDarkModeAsync("u1"));
        Assert.False(await preferences.GetDarkModeAsync("u2"));
        await preferences.SetDarkModeAsync("u1", false);
        Assert.False(await preferences.GetDarkModeAsync("u1"));
    }
}
