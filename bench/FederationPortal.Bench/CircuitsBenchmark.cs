using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FederationPortal.Bench;

/// <summary>
/// Issue P6 (5c): many Blazor circuits at once on the dashboard and the audit page. Hosts the portal in a child process
/// (<see cref="PortalHost"/>: sandbox mode, seeded with environments and audit events), signs in once in Debian's
/// Chromium and opens one tab per circuit. Prints page latency (first load of all tabs at once, navigation inside every
/// live circuit, and single loads while the other circuits stay connected), the CPU the portal and the browser spent,
/// and the portal's memory per circuit.
/// </summary>
internal static class CircuitsBenchmark
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string AdminUpn = "adele.vance@contoso.example";
    private const int AuditEvents = 5_000;

    /// <summary>Generous: 100 tabs and the server share two cores.</summary>
    private const float TimeoutMs = 180_000;

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static readonly PortalActor Admin = new("bench", "Benchmark", [PortalRoles.Admin]);

    private enum Kind
    {
        Dashboard,
        Audit,
    }

    /// <summary>
    /// <c>circuits [count]</c> drives the browser and reads the server's figures. It starts itself again as
    /// <c>circuits --server</c> to host the portal, so that the server's memory is the portal's alone (not this process's
    /// browser driver), with the server GC the portal runs with.
    /// </summary>
    public static Task<int> RunAsync(string[] args)
        => args.Contains("--server") ? ServeAsync() : RunAsync(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100);

    private static async Task<int> RunAsync(int count)
    {
        if (count < 2)
        {
            Console.Error.WriteLine("circuits: count must be at least 2 (half the tabs on each page).");
            return 2;
        }

        if (!File.Exists(ChromiumPath))
        {
            Console.Error.WriteLine($"circuits: {ChromiumPath} is not installed (apt-get install chromium); Playwright's own browser download is never used.");
            return 2;
        }

        using var server = await PortalServer.StartAsync();
        try
        {
            return await DriveAsync(server, count);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static async Task<int> DriveAsync(PortalServer server, int count)
    {
        // The machine may be shared: say how busy it was.
        var loadAverage = TryRead("/proc/loadavg")?.Split(' ')[0] ?? "unknown";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress,
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        var browserErrors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        context.Page += (_, page) =>
        {
            page.PageError += (_, error) => browserErrors.Enqueue($"[page error] {error}");
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    browserErrors.Enqueue($"[console error] {message.Text}");
                }
            };
        };

        // Warm-up: sign in once (the cookie serves every tab of this context), visit both pages so they are compiled
        // and cached, then leave and close the tab so that its circuit ends.
        var warmUp = await context.NewPageAsync();
        await SignInAsync(warmUp);
        await LoadAsync(warmUp, Kind.Audit);
        await LoadAsync(warmUp, Kind.Dashboard);
        await CloseAsync(warmUp);
        await server.WaitForCircuitsAsync(0);

        var pages = new List<(IPage Page, Kind Kind)>();
        for (var i = 0; i < count; i++)
        {
            pages.Add((await context.NewPageAsync(), i % 2 == 0 ? Kind.Dashboard : Kind.Audit));
        }

        var baseline = await server.MeasureAsync();

        // 1. First load: every tab at once, each opening its circuit.
        var cpu = await CpuMeter.StartAsync(server);
        var firstLoad = await TimeAllAsync(pages, async p =>
        {
            await p.Page.GotoAsync(PathOf(p.Kind));
            await WaitForContentAsync(p.Page, p.Kind);
        });
        var firstLoadCpu = await cpu.StopAsync();
        await server.WaitForCircuitsAsync(count);
        var screenshots = ResultsDirectory();
        await pages.First(p => p.Kind == Kind.Dashboard).Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "circuits-dashboard.png"), FullPage = true });
        await pages.First(p => p.Kind == Kind.Audit).Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "circuits-audit.png") });
        var afterFirstLoad = await server.MeasureAsync();

        // 2. Navigation inside every live circuit at once (the nav menu's links: no new circuit).
        var swapped = pages.Select(p => (p.Page, Kind: Other(p.Kind))).ToList();
        cpu = await CpuMeter.StartAsync(server);
        var navigation = await TimeAllAsync(swapped, async p =>
        {
            await p.Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = p.Kind == Kind.Audit ? "Audit trail" : "Dashboard", Exact = true }).ClickAsync();
            await WaitForContentAsync(p.Page, p.Kind);
        });
        var navigationCpu = await cpu.StopAsync();
        await server.WaitForCircuitsAsync(count);
        var afterNavigation = await server.MeasureAsync();

        // 3. One full load at a time (a new circuit replaces the tab's old one) while the other circuits stay connected.
        var single = new List<(Kind Kind, double Ms)>();
        foreach (var p in swapped.Take(Math.Min(count, 20)))
        {
            var target = Other(p.Kind);
            var watch = Stopwatch.StartNew();
            await p.Page.GotoAsync(PathOf(target));
            await WaitForContentAsync(p.Page, target);
            single.Add((target, watch.Elapsed.TotalMilliseconds));
        }

        var (browserMemory, _) = BrowserUsage();

        // Close every tab: leaving a page tells the server to end its circuit at once (otherwise it is kept for minutes).
        await Task.WhenAll(pages.Select(p => CloseAsync(p.Page)));
        var allClosed = await server.WaitForCircuitsAsync(0, throwOnTimeout: false);
        var afterClose = await server.MeasureAsync();

        Console.WriteLine();
        Console.WriteLine($"Circuits benchmark: {count} tabs in one signed-in Chromium context ({count - count / 2} on the dashboard, {count / 2} on the audit page), "
                          + $"{server.Environments} environments, {server.Events:N0} audit events; {Environment.ProcessorCount} cores (load average at start {loadAverage}), portal process with {server.GcMode} GC, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine();
        Console.WriteLine("| page latency (GotoAsync or click → content over the live circuit) | page | loads | p50 | p95 | max |");
        Console.WriteLine("|---|---|---|---|---|---|");
        PrintLatency($"first load, all {count} tabs at once", firstLoad);
        PrintLatency($"navigation inside the circuit (nav link), all {count} at once", navigation);
        PrintLatency($"full load one at a time, {count - 1} other circuits connected", single);
        Console.WriteLine();
        Console.WriteLine("| portal process memory (after a full compacting GC) | circuits open / connected | managed heap (live) | GC heap size (pinned part) | working set | private bytes |");
        Console.WriteLine("|---|---|---|---|---|---|");
        PrintMemory($"signed in, {count} blank tabs, no circuit", baseline);
        PrintMemory($"{count} circuits after first load", afterFirstLoad);
        PrintMemory($"{count} circuits after navigation (each has shown both pages)", afterNavigation);
        PrintMemory("all tabs closed", afterClose);
        PrintPerCircuit("**per circuit**, after navigation", afterNavigation, baseline, count);
        PrintPerCircuit("per circuit, after first load", afterFirstLoad, baseline, count);
        Console.WriteLine();
        Console.WriteLine($"CPU during the first load: portal {firstLoadCpu.Portal:F1} s, Chromium {firstLoadCpu.Browser:F1} s, in {firstLoadCpu.Wall:F1} s of wall time ({Environment.ProcessorCount} cores).");
        Console.WriteLine($"CPU during the navigation: portal {navigationCpu.Portal:F1} s, Chromium {navigationCpu.Browser:F1} s, in {navigationCpu.Wall:F1} s of wall time.");
        Console.WriteLine($"Browser: the Chromium processes held {browserMemory / 1048576.0:N0} MB (PSS) with {count} tabs open.");
        Console.WriteLine($"Screenshots: {Path.Combine(screenshots, "circuits-dashboard.png")}, {Path.Combine(screenshots, "circuits-audit.png")}");
        foreach (var error in browserErrors.Distinct().Take(10))
        {
            Console.WriteLine(error);
        }

        if (!allClosed)
        {
            Console.Error.WriteLine($"{afterClose.Open} circuits were still open after every tab closed.");
        }

        return browserErrors.IsEmpty && allClosed ? 0 : 1;
    }

    /// <summary>
    /// The server side (<c>circuits --server</c>): the portal on a free port, seeded, with two endpoints for the driver,
    /// <c>/bench/circuits</c> (counts) and <c>/bench/memory</c> (counts and memory after a full GC). Prints
    /// <c>ready …</c> once it serves, and stops when its standard input closes.
    /// </summary>
    private static async Task<int> ServeAsync()
    {
        var circuits = new CircuitCounter();
        await using var host = new PortalHost(
            new Dictionary<string, string?>
            {
                ["Sandbox:InstantiateDelayMilliseconds"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
            },
            configureServices: services => services
                .AddSingleton<CircuitHandler>(circuits)
                .AddSingleton<IStartupFilter>(new BenchEndpointsFilter(circuits)));
        var baseAddress = host.BaseAddress;
        var seed = Stopwatch.StartNew();
        var (environments, events) = await SeedAsync(host);
        Console.WriteLine($"Seeded {environments} environments and {events:N0} audit events in {seed.Elapsed.TotalSeconds:F1} s.");
        Console.WriteLine($"ready {baseAddress} {environments} {events} {(GCSettings.IsServerGC ? "server" : "workstation")}");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    /// <summary>Environments (one set up, so it is active) and a few thousand audit events, so both pages have content.</summary>
    private static async Task<(int Environments, long Events)> SeedAsync(PortalHost host)
    {
        string[] names = ["Production", "Staging", "Development", "Analytics", "Sandbox EU", "Sandbox US"];
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var environments = scope.ServiceProvider.GetRequiredService<EnvironmentService>();
            var created = new List<FederationEnvironment>();
            foreach (var name in names)
            {
                created.Add(await environments.CreateAsync(Admin, new EnvironmentDraft(name, "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333", $"{name} account")));
            }

            var setup = scope.ServiceProvider.GetRequiredService<SetupService>();
            await setup.SaveSpecAsync(Admin, created[0].Id, new EnvironmentSpec
            {
                Roles = new[] { "Admins", "Developers", "Auditors" }.Select(n => new RoleSpec { Name = $"Bench-{n}", Template = RoleTemplate.ReadOnly }).ToList(),
            });
            var operation = await setup.ApplyAsync(Admin, created[0].Id);
            var watch = Stopwatch.StartNew();
            while ((await setup.GetOperationAsync(operation.Id))?.Status is not (OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled))
            {
                if (watch.Elapsed > TimeSpan.FromMilliseconds(TimeoutMs))
                {
                    throw new TimeoutException("Timed out waiting for the seed environment's setup.");
                }

                await Task.Delay(100);
            }
        }

        var trail = host.Services.GetRequiredService<IAuditTrail>();
        string[] actions = ["auth.signin", "environment.update", "aws.role.create", "entra.assignment.create", "operation.apply.complete", "doctor.fix.trust-policy"];
        string[] actors = ["Adele Vance", "Megan Bowen", "Diego Siciliani", "API token 'CI'", "FederationPortal"];
        var random = new Random(42);
        for (var i = 0; i < AuditEvents; i++)
        {
            var failed = random.Next(20) == 0;
            await trail.RecordAsync(new AuditEntry
            {
                ActorId = $"actor-{i % actors.Length}",
                ActorName = actors[i % actors.Length],
                Action = actions[random.Next(actions.Length)],
                Outcome = failed ? AuditOutcome.Failure : AuditOutcome.Success,
                TargetType = "IamRole",
                TargetId = $"arn:aws:iam::111122223333:role/Role-{random.Next(50)}",
                ErrorMessage = failed ? "Throttling: Rate exceeded" : null,
                CorrelationId = Guid.NewGuid().ToString(),
                Details = new { attempt = 1, stage = "roles" },
            });
        }

        var total = (await trail.QueryAsync(new AuditQuery { PageSize = 1 })).TotalCount;
        return (names.Length, total);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/account/signin");
        var button = page.GetByTestId($"signin-{AdminUpn}");
        await button.ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/account/", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ResultsDirectory(), "circuits-signin.png"), FullPage = true });
            Console.Error.WriteLine($"Sign-in did not navigate within 30 s (still on {page.Url}); submitting again.");
            await button.ClickAsync();
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/account/", StringComparison.Ordinal));
        }

        await WaitForContentAsync(page, Kind.Dashboard);
    }

    private static async Task LoadAsync(IPage page, Kind kind)
    {
        await page.GotoAsync(PathOf(kind));
        await WaitForContentAsync(page, kind);
    }

    /// <summary>
    /// The page is usable: the layout rendered over the live circuit (MainLayout's data-interactive="true", never in the
    /// prerendered HTML) and the page's data shows. The audit grid's rows only come over the circuit (a server-data query).
    /// </summary>
    private static async Task WaitForContentAsync(IPage page, Kind kind)
    {
        await page.Locator("[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        var content = kind == Kind.Dashboard
            ? page.GetByTestId("environment-table").Locator("tbody tr").Last
            : page.GetByTestId("audit-grid").Locator("tbody tr").Nth(24);
        await content.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
    }

    /// <summary>Leaves the page first: blazor.web.js then tells the server to end the circuit instead of keeping it for reconnection.</summary>
    private static async Task CloseAsync(IPage page)
    {
        await page.GotoAsync("about:blank");
        await page.CloseAsync();
    }

    private static async Task<List<(Kind Kind, double Ms)>> TimeAllAsync(IReadOnlyList<(IPage Page, Kind Kind)> pages, Func<(IPage Page, Kind Kind), Task> load)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = pages.Select(async p =>
        {
            await start.Task;
            var watch = Stopwatch.StartNew();
            await load(p);
            return (p.Kind, watch.Elapsed.TotalMilliseconds);
        }).ToList();
        start.SetResult();
        return [.. await Task.WhenAll(tasks)];
    }

    private static string PathOf(Kind kind) => kind == Kind.Dashboard ? "/" : "/audit";

    private static Kind Other(Kind kind) => kind == Kind.Dashboard ? Kind.Audit : Kind.Dashboard;

    private static void PrintLatency(string phase, List<(Kind Kind, double Ms)> samples)
    {
        foreach (var kind in new[] { Kind.Dashboard, Kind.Audit })
        {
            var ms = samples.Where(s => s.Kind == kind).Select(s => s.Ms).Order().ToList();
            if (ms.Count > 0)
            {
                Console.WriteLine($"| {phase} | {PathOf(kind)} | {ms.Count} | {Percentile(ms, 0.50):N0} ms | {Percentile(ms, 0.95):N0} ms | {ms[^1]:N0} ms |");
            }
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Max(0, Math.Ceiling(p * sorted.Count) - 1))];

    private static void PrintMemory(string state, ServerMemory m)
        => Console.WriteLine($"| {state} | {m.Open} / {m.Connected} | {Mb(m.Live)} | {Mb(m.HeapSize)} ({Mb(m.Pinned)}) | {Mb(m.WorkingSet)} | {Mb(m.PrivateBytes)} |");

    private static void PrintPerCircuit(string state, ServerMemory with, ServerMemory without, int count)
    {
        string Kb(Func<ServerMemory, long> value) => $"{(value(with) - value(without)) / 1024.0 / count:N0} KB";
        Console.WriteLine($"| {state}: (with − blank) / {count} | | {Kb(m => m.Live)} | {Kb(m => m.HeapSize)} ({Kb(m => m.Pinned)}) | {Kb(m => m.WorkingSet)} | {Kb(m => m.PrivateBytes)} |");
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N1} MB";

    private static string ResultsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FederationPortal.sln")))
        {
            directory = directory.Parent;
        }

        var results = Path.Combine(directory?.FullName ?? Directory.GetCurrentDirectory(), "bench", "results");
        Directory.CreateDirectory(results);
        return results;
    }

    /// <summary>Proportional set size and CPU time so far of the Chromium processes this process started (through Playwright's driver).</summary>
    private static (long Pss, double CpuSeconds) BrowserUsage()
    {
        var parents = new Dictionary<int, int>();
        var cpuTicks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && TryRead(Path.Combine(dir, "stat")) is { } stat)
            {
                // pid (comm) state ppid … utime stime …: comm may hold spaces, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                cpuTicks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        var self = Environment.ProcessId;
        bool Descends(int pid)
        {
            for (var depth = 0; depth < 64 && parents.TryGetValue(pid, out var parent); depth++, pid = parent)
            {
                if (parent == self)
                {
                    return true;
                }
            }

            return false;
        }

        long pss = 0;
        long ticks = 0;
        foreach (var pid in parents.Keys.Where(Descends).Where(pid => TryRead($"/proc/{pid}/comm")?.StartsWith("chrom", StringComparison.Ordinal) == true))
        {
            ticks += cpuTicks[pid];
            var line = TryRead($"/proc/{pid}/smaps_rollup")?.Split('\n').FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
            if (line is not null)
            {
                pss += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        // Linux counts CPU time in clock ticks of 1/100 s.
        return (pss, ticks / 100.0);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The portal process's circuits and memory, measured after a full compacting GC.</summary>
    private sealed record ServerMemory(int Open, int Connected, long Live, long HeapSize, long Pinned, long WorkingSet, long PrivateBytes)
    {
        public static ServerMemory Measure(CircuitCounter circuits)
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            var live = GC.GetTotalMemory(forceFullCollection: true);
            var info = GC.GetGCMemoryInfo();
            using var process = Process.GetCurrentProcess();

            // GenerationInfo: gen0, gen1, gen2, large object heap, pinned object heap (Kestrel's and SignalR's buffers).
            return new ServerMemory(circuits.Open, circuits.Connected, live, info.HeapSizeBytes, info.GenerationInfo[4].SizeAfterBytes, process.WorkingSet64, process.PrivateMemorySize64);
        }
    }

    /// <summary>The portal's circuits (opened and not closed; with a live connection) and the CPU time its process used so far.</summary>
    private sealed record CircuitState(int Open, int Connected, double CpuSeconds);

    /// <summary>Serves the driver's two endpoints ahead of the portal's own pipeline.</summary>
    private sealed class BenchEndpointsFilter(CircuitCounter circuits) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/bench/circuits", branch => branch.Run(context =>
            {
                using var process = Process.GetCurrentProcess();
                return context.Response.WriteAsJsonAsync(new CircuitState(circuits.Open, circuits.Connected, process.TotalProcessorTime.TotalSeconds));
            }));
            app.Map("/bench/memory", branch => branch.Run(context => context.Response.WriteAsJsonAsync(ServerMemory.Measure(circuits))));
            next(app);
        };
    }

    /// <summary>CPU time the portal and the browser spend during a phase, next to its wall time.</summary>
    private sealed class CpuMeter
    {
        private readonly PortalServer server;
        private readonly double portal;
        private readonly double browser;
        private readonly Stopwatch wall = Stopwatch.StartNew();

        private CpuMeter(PortalServer server, double portal, double browser) => (this.server, this.portal, this.browser) = (server, portal, browser);

        public static async Task<CpuMeter> StartAsync(PortalServer server)
            => new(server, (await server.StateAsync()).CpuSeconds, BrowserUsage().CpuSeconds);

        public async Task<(double Portal, double Browser, double Wall)> StopAsync()
            => ((await server.StateAsync()).CpuSeconds - portal, BrowserUsage().CpuSeconds - browser, wall.Elapsed.TotalSeconds);
    }

    /// <summary>The <c>circuits --server</c> child process, as the driver sees it.</summary>
    private sealed class PortalServer : IDisposable
    {
        private readonly Process process;
        private readonly HttpClient http = new() { Timeout = TimeSpan.FromMinutes(5) };

        private PortalServer(Process process) => this.process = process;

        public string BaseAddress { get; private set; } = "";

        public int Environments { get; private set; }

        public long Events { get; private set; }

        public string GcMode { get; private set; } = "";

        public static async Task<PortalServer> StartAsync()
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(CircuitsBenchmark).Assembly.Location);
            }

            start.ArgumentList.Add("circuits");
            start.ArgumentList.Add("--server");

            // As the portal runs: the web SDK turns the server GC on.
            start.Environment["DOTNET_gcServer"] = "1";
            var server = new PortalServer(Process.Start(start)!);
            try
            {
                while (await server.process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("ready ", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ');
                        server.BaseAddress = parts[1];
                        server.Environments = int.Parse(parts[2], CultureInfo.InvariantCulture);
                        server.Events = long.Parse(parts[3], CultureInfo.InvariantCulture);
                        server.GcMode = parts[4];
                        _ = server.ForwardOutputAsync();
                        return server;
                    }

                    Console.WriteLine($"[portal] {line}");
                }

                throw new InvalidOperationException("The portal process ended before it was ready.");
            }
            catch
            {
                await server.StopAsync();
                server.Dispose();
                throw;
            }
        }

        public async Task<CircuitState> StateAsync()
            => (await http.GetFromJsonAsync<CircuitState>($"{BaseAddress}/bench/circuits"))!;

        public async Task<ServerMemory> MeasureAsync()
            => (await http.GetFromJsonAsync<ServerMemory>($"{BaseAddress}/bench/memory"))!;

        /// <summary>Waits until the portal holds exactly <paramref name="count"/> circuits, all connected.</summary>
        public async Task<bool> WaitForCircuitsAsync(int count, bool throwOnTimeout = true)
        {
            var watch = Stopwatch.StartNew();
            while (await StateAsync() is var state && (state.Open != count || state.Connected != count))
            {
                if (watch.Elapsed > TimeSpan.FromMilliseconds(TimeoutMs))
                {
                    return throwOnTimeout ? throw new TimeoutException($"Timed out waiting for the portal to hold {count} circuits.") : false;
                }

                await Task.Delay(100);
            }

            return true;
        }

        /// <summary>Closes the child's standard input (it then disposes the portal and exits); kills it if it hangs.</summary>
        public async Task StopAsync()
        {
            if (process.HasExited)
            {
                return;
            }

            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        public void Dispose()
        {
            http.Dispose();
            process.Dispose();
        }

        private async Task ForwardOutputAsync()
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                Console.WriteLine($"[portal] {line}");
            }
        }
    }

    /// <summary>Counts the server's circuits: opened and not yet closed, and those with a live connection.</summary>
    private sealed class CircuitCounter : CircuitHandler
    {
        private int open;
        private int connected;

        public int Open => Volatile.Read(ref open);

        public int Connected => Volatile.Read(ref connected);

        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref open);
            return Task.CompletedTask;
        }

        public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref connected);
            return Task.CompletedTask;
        }

        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref connected);
            return Task.CompletedTask;
        }
    }
}
