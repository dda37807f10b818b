using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FederationPortal.Emulator.Tests;

/// <summary>
/// The built emulator (<c>FederationPortal.Emulator.dll</c>) started as its own process on a free port with a data
/// folder of its own, the way <c>dotnet run --project src/FederationPortal.Emulator</c> starts it; killed on dispose.
/// </summary>
public sealed class EmulatorProcess : IAsyncLifetime
{
    private readonly StringBuilder output = new();

    /// <summary>More command-line settings, e.g. <c>["--Sandbox:TokenRequestsPerMinute", "3"]</c>.</summary>
    public string[] Settings { get; init; } = [];

    private Process? process;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("fp-emulator").FullName;

    public string BaseAddress { get; private set; } = string.Empty;

    /// <summary>What <c>/sandbox/info</c> says: endpoints and the emulated clouds' public keys.</summary>
    public JsonElement Info { get; private set; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static string EmulatorDll
    {
        get
        {
            // tests/FederationPortal.Emulator.Tests/bin/<Configuration>/net10.0 → src/FederationPortal.Emulator/bin/<Configuration>/net10.0
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testBin.Name;
            var configuration = testBin.Parent!.Name;
            var root = testBin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "FederationPortal.Emulator", "bin", configuration, framework, "FederationPortal.Emulator.dll");
        }
    }

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        BaseAddress = $"http://127.0.0.1:{port}";
        process = Start(["--urls", BaseAddress, "--Emulator:DataDirectory", DataDirectory, .. Settings]);

        using var http = new HttpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"The emulator exited ({process.ExitCode}) before it answered:\n{Output}");
            }

            try
            {
                var info = await http.GetStringAsync($"{BaseAddress}/sandbox/info", deadline.Token);
                Info = JsonDocument.Parse(info).RootElement.Clone();
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, deadline.Token); // polls until the emulator listens, within the deadline
            }
        }
    }

    /// <summary>Starts the emulator with <paramref name="arguments"/>; output is collected in <see cref="Output"/>.</summary>
    public Process Start(params string[] arguments)
    {
        Assert.True(File.Exists(EmulatorDll), $"{EmulatorDll} is not built (dotnet build FederationPortal.sln builds it).");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DataDirectory };
        start.ArgumentList.Add(EmulatorDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var started = Process.Start(start)!;
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by the exiting process: the OS temp folder cleans up after us
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
