using FederationPortal.Clouds;
using FederationPortal.Sandbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FederationPortal.TestSupport;

/// <summary>
/// The emulator on its own (as <c>src/FederationPortal.Emulator</c> hosts it) on a real Kestrel port (127.0.0.1, a
/// free port) with a data folder of its own, and in the same container the portal's cloud connectors
/// (<c>AddClouds()</c>) pointed at it: what the Clouds and Sandbox tests need, without the portal. Starts on first
/// use; Dispose stops it and deletes the data folder it made.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly Lazy<WebApplication> app;
    private readonly Dictionary<string, string?> settings;

    public EmulatorHost(IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        OwnsDataDirectory = dataDirectory is null;
        this.settings = new Dictionary<string, string?>
        {
            ["Emulator:DataDirectory"] = DataDirectory,
            ["Emulator:Url"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }

        app = new Lazy<WebApplication>(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What the emulator and the connectors logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The emulator's data folder (its SQLite store and signing keys).</summary>
    public string DataDirectory { get; }

    private bool OwnsDataDirectory { get; }

    /// <summary>The emulator's services and the connectors pointed at it.</summary>
    public IServiceProvider Services => app.Value.Services;

    /// <summary>The address Kestrel bound, e.g. <c>http://127.0.0.1:41234</c>, without a trailing slash.</summary>
    public string BaseAddress
        => app.Value.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    /// <summary>A plain HttpClient against <see cref="BaseAddress"/> (no redirects followed, cookies kept).</summary>
    public HttpClient CreateRealClient(bool followRedirects = false)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true };
        return new HttpClient(handler) { BaseAddress = new Uri(BaseAddress + "/") };
    }

    public async ValueTask DisposeAsync()
    {
        if (app.IsValueCreated)
        {
            await app.Value.StopAsync();
            await app.Value.DisposeAsync();
        }

        if (OwnsDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    private WebApplication Start()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddProvider(Logs);
        builder.AddEmulator();
        builder.Services.AddClouds();

        var host = builder.Build();
        host.UseEmulator();
        host.StartAsync().GetAwaiter().GetResult();
        return host;
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
