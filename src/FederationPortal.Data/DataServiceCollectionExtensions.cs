using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Health;
using FederationPortal.Core.Preferences;
using FederationPortal.Data.Audit;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Data.Environments;
using FederationPortal.Core.Security;
using FederationPortal.Data.Lifecycle;
using FederationPortal.Data.Security;
using FederationPortal.Data.Preferences;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Data;

public static class DataServiceCollectionExtensions
{
    public const string DatabaseFileName = "portal.db";

    /// <summary>The portal database in <paramref name="dataDirectory"/>, the audit trail and the stores behind the Core ports.</summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, DatabaseFileName),
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        services.AddDbContextFactory<PortalDbContext>(options => options.UseSqlite(connectionString).AddInterceptors(new SynchronousNormalInterceptor()));
        services.AddSingleton<IAuditTrail, SqliteAuditTrail>();
        services.AddSingleton<IAuditDigestStore>(new FileAuditDigestStore(dataDirectory));
        services.AddSingleton<IEnvironmentStore, EfEnvironmentStore>();
        services.AddSingleton<IUserPreferenceStore, UserPreferenceStore>();
        services.AddSingleton<IOperationStore, EfOperationStore>();
        services.AddSingleton<IResourceInventory, EfResourceInventory>();
        services.AddSingleton<IApiTokenStore, EfApiTokenStore>();
        services.AddSingleton<IStoredSecretStore, EfStoredSecretStore>();
        services.AddSingleton<PortalDatabaseInitializer>();
        services.AddSingleton<IPortalDatabase>(sp => sp.GetRequiredService<PortalDatabaseInitializer>());
        return services;
    }
}
