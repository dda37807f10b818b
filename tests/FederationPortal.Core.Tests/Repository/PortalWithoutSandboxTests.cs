using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FederationPortal.Core.Tests.Repository;

/// <summary>
/// The sandbox is a plug-in: a copy of the portal's sources without the Sandbox (and Emulator) projects, with only the
/// Sandbox project reference and the lines of Web's <c>Program.cs</c> that name it taken out, builds with zero warnings
/// and serves in Live mode.
/// </summary>
public sealed partial class PortalWithoutSandboxTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Deleting_the_sandbox_project_and_its_composition_lines_leaves_a_portal_that_builds_and_runs_in_Live_mode()
    {
        var cancel = TestContext.Current.CancellationToken;
        var root = RepositoryPaths.Root();
        var copy = Directory.CreateTempSubdirectory("fp-no-sandbox-").FullName;
        try
        {
            var copied = CopyTrackedSources(root, copy);
            Assert.DoesNotContain(copied, path => path.StartsWith("src/FederationPortal.Sandbox/", StringComparison.Ordinal));

            var project = Path.Combine(copy, "src/FederationPortal.Web/FederationPortal.Web.csproj");
            Assert.Equal(1, RemoveLines(project, line => line.Contains(@"FederationPortal.Sandbox\FederationPortal.Sandbox.csproj", StringComparison.Ordinal)));
            var removed = RemoveLines(Path.Combine(copy, "src/FederationPortal.Web/Program.cs"), line => line.Contains("Sandbox", StringComparison.Ordinal));
            Assert.Equal(3, removed); // the using, builder.AddSandbox(), app.MapSandbox()

            var output = Path.Combine(copy, "out");
            var build = await RunAsync(copy, BuildTimeout, cancel, "build", project, "-o", output, "--nologo", "-clp:NoSummary;ErrorsOnly");
            Assert.True(build.ExitCode == 0, "The portal without the sandbox does not build:\n" + build.Output);
            Assert.False(File.Exists(Path.Combine(output, "FederationPortal.Sandbox.dll")), "the build still carries FederationPortal.Sandbox.dll");

            await using var portal = await LivePortal.StartAsync(output, Path.Combine(copy, "data"), cancel);
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = portal.BaseAddress };

            var health = await client.GetAsync("healthz", cancel);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("starting in Live mode", portal.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Copies the files git tracks that a build of Web needs (the solution's sources without Sandbox and Emulator).</summary>
    private static List<string> CopyTrackedSources(string root, string destination)
    {
        var files = RepositoryPaths.TrackedFiles(root, "src", "wwwroot", "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "appsettings*.json")
            .Where(path => !path.StartsWith("src/FederationPortal.Sandbox/", StringComparison.Ordinal)
                           && !path.StartsWith("src/FederationPortal.Emulator/", StringComparison.Ordinal))
            .ToList();
        foreach (var file in files)
        {
            var target = Path.Combine(destination, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(root, file), target);
        }

        return files;
    }

    private static int RemoveLines(string path, Func<string, bool> remove)
    {
        var lines = File.ReadAllLines(path);
        var kept = lines.Where(line => !remove(line)).ToArray();
        File.WriteAllLines(path, kept);
        return lines.Length - kept.Length;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string directory, TimeSpan timeout, CancellationToken cancel, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // no build server left behind in the deleted folder
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"dotnet {string.Join(' ', arguments)} did not finish within {timeout}.\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The built portal in Live mode, on a free loopback port, with made-up tenant settings it never needs to reach.</summary>
    private sealed partial class LivePortal : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private LivePortal(Process process) => this.process = process;

        public Uri BaseAddress { get; private set; } = null!;

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

        public static async Task<LivePortal> StartAsync(string binaries, string dataDirectory, CancellationToken cancel)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = binaries, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(binaries, "FederationPortal.Web.dll"));
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Portal__Mode"] = "Live";
            start.Environment["Portal__DataDirectory"] = dataDirectory;
            start.Environment["Portal__Entra__TenantId"] = Guid.NewGuid().ToString();
            start.Environment["Portal__Entra__ClientId"] = Guid.NewGuid().ToString();
            start.Environment["Portal__Entra__ClientSecret"] = "not-used-by-this-test";
            var portal = new LivePortal(Process.Start(start)!);
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Read(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (portal.output)
                {
                    portal.output.AppendLine(line);
                }

                if (Listening().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
                }
            }

            portal.process.OutputDataReceived += (_, e) => Read(e.Data);
            portal.process.ErrorDataReceived += (_, e) => Read(e.Data);
            portal.process.BeginOutputReadLine();
            portal.process.BeginErrorReadLine();
            portal.process.EnableRaisingEvents = true;
            portal.process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The portal exited before it listened:\n" + portal.Output));
            try
            {
                portal.BaseAddress = await listening.Task.WaitAsync(StartTimeout, cancel);
            }
            catch (TimeoutException)
            {
                await portal.DisposeAsync();
                throw new TimeoutException($"The portal did not listen within {StartTimeout}:\n{portal.Output}");
            }

            return portal;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
        private static partial Regex Listening();
    }
}
