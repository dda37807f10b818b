using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.Data.Preferences;
using Microsoft.EntityFrameworkCore;

namespace FederationPortal.Data;

/// <summary>
/// The portal's own database (SQLite). Add a migration with:
/// <code>dotnet ef migrations add NAME --project src/FederationPortal.Data --startup-project src/FederationPortal.Data --output-dir Migrations</code>
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<FederationEnvironment> Environments => Set<FederationEnvironment>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();

    public DbSet<Operation> Operations => Set<Operation>();

    public DbSet<OperationAction> OperationActions => Set<OperationAction>();

    public DbSet<ManagedResource> ManagedResources => Set<ManagedResource>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<StoredSecret> StoredSecrets => Set<StoredSecret>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no DateTimeOffset type: store UTC ticks so that ordering and range filters run in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }
}
