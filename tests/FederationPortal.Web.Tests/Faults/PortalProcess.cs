using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using FederationPortal.Web.Security;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// The portal as a process of its own (<c>dotnet FederationPortal.Web.dll</c>, Sandbox mode, a free port, the given data
/// folder), driven over HTTP with the sandbox's admin API token, and killed with SIGKILL: no shutdown hook runs.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private PortalProcess(Process process, string baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = new Uri(baseAddress + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string BaseAddress { get; }

    /// <summary>Authenticated with the sandbox admin API token once <see cref="StartAsync"/> returns.</summary>
    public HttpClient Client { get; }

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Output => string.Join("\n", output.TakeLast(60));

    public static async Task<PortalProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FederationPortal.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in new Dictionary<string, string?>(settings)
                 {
                     ["Portal:Mode"] = "Sandbox",
                     ["Portal:DataDirectory"] = dataDirectory,
                     ["Logging:LogLevel:Default"] = "Warning",
                     ["Logging:LogLevel:FederationPortal.Core.Lifecycle"] = "Information",
                 })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var portal = new PortalProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => portal.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal process exited with {process.ExitCode} while starting:\n{portal.Output}");
            }

            try
            {
                using var response = await portal.Client.GetAsync("sandbox/info", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    // The installation's script token is written to the data folder before the portal listens.
                    var token = (await File.ReadAllTextAsync(InstallationAdminToken.PathIn(dataDirectory), deadline.Token)).Trim();
                    portal.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    return portal;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, deadline.Token); // polls until the portal answers or the deadline passes
        }
    }

    /// <summary>SIGKILL, the whole process tree, and wait until it is gone.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process.Dispose();
        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
