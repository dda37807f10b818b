using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FederationPortal.TestSupport;

/// <summary>
/// The whole portal on a real Kestrel port (127.0.0.1, a free port) with a data folder of its own, so that tests
/// talk real HTTP to it, the sandbox clouds included. Dispose deletes the data folder.
/// </summary>
public sealed class PortalHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;

    public PortalHost(IDictionary<string, string?>? settings = null, string? dataDirectory = null, Action<IServiceCollection>? configureServices = null)
    {
        this.configureServices = configureServices;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        OwnsDataDirectory = dataDirectory is null;
        this.settings = new Dictionary<string, string?>
        {
            ["Portal:Mode"] = "Sandbox",
            ["Portal:DataDirectory"] = DataDirectory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }

        UseKestrel(0);
    }

    /// <summary>What the portal logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The portal's data folder (SQLite files, key ring).</summary>
    public string DataDirectory { get; }

    private bool OwnsDataDirectory { get; }

    /// <summary>The address Kestrel bound, e.g. <c>http://127.0.0.1:41234</c>, without a trailing slash.</summary>
    public string BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return address.TrimEnd('/');
        }
    }

    /// <summary>The installation's Admin API token for scripts, as a script reads it from the data folder.</summary>
    public string AdminApiToken
    {
        get
        {
            StartServer();
            return File.ReadAllText(FederationPortal.Web.Security.InstallationAdminToken.PathIn(DataDirectory)).Trim();
        }
    }

    /// <summary>A plain HttpClient against <see cref="BaseAddress"/> (no redirects followed, cookies kept).</summary>
    public HttpClient CreateRealClient(bool followRedirects = false)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true };
        return new HttpClient(handler) { BaseAddress = new Uri(BaseAddress + "/") };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (OwnsDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open by a finalizing connection: the OS temp folder cleans up after us.
        }
    }
}
