using System.Diagnostics;
using System.Globalization;
using FederationPortal.Core.Audit;
using FederationPortal.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// Benchmarks of issue P6, each printing a table:
//   audit [events=1000000] [exportRows=100000]   insert rate, filtered page queries (p50/p95), streaming CSV export memory
//   setup [roles=20] [assignments=200] [latencyMs=100] [parallelism]   setup and teardown against the sandbox with injected latency
//   circuits [count=100]   concurrent Blazor circuits (Chromium tabs) on the dashboard and audit page: latency, server memory per circuit
if (args.FirstOrDefault() == "setup")
{
    int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
    return await FederationPortal.Bench.SetupBenchmark.RunAsync(Arg(1, 20), Arg(2, 200), Arg(3, 100), args.Length > 4 ? Arg(4, 6) : null);
}

if (args.FirstOrDefault() == "circuits")
{
    return await FederationPortal.Bench.CircuitsBenchmark.RunAsync(args[1..]);
}

var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var exportRows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
if (args.FirstOrDefault() != "audit")
{
    Console.Error.WriteLine("usage: FederationPortal.Bench audit [events] [exportRows] | setup [roles] [assignments] [latencyMs] [parallelism] | circuits [count]");
    return 2;
}

var directory = Path.Combine(Path.GetTempPath(), "fp-bench", Guid.NewGuid().ToString("N"));
var services = new ServiceCollection()
    .AddSingleton(TimeProvider.System)
    .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
    .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
    .AddPortalData(directory)
    .BuildServiceProvider();
await services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync();
var trail = services.GetRequiredService<IAuditTrail>();

string[] actions = ["auth.signin", "environment.create", "aws.role.create", "entra.assignment.create", "operation.apply.complete", "doctor.fix.trust-policy"];
string[] actors = ["Adele Vance", "Megan Bowen", "Diego Siciliani", "API token 'CI'", "FederationPortal"];
var environmentsIds = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToArray();
var random = new Random(42);

// 1. Insert rate (the trail appends one event per call, hash-chained, as the services do).
var insert = Stopwatch.StartNew();
for (var i = 0; i < events; i++)
{
    await trail.RecordAsync(new AuditEntry
    {
        ActorId = $"actor-{i % actors.Length}",
        ActorName = actors[i % actors.Length],
        Action = actions[random.Next(actions.Length)],
        Outcome = random.Next(20) == 0 ? AuditOutcome.Failure : AuditOutcome.Success,
        EnvironmentId = environmentsIds[random.Next(environmentsIds.Length)],
        TargetType = "IamRole",
        TargetId = $"arn:aws:iam::111122223333:role/Role-{random.Next(500)}",
        CorrelationId = Guid.NewGuid().ToString(),
        Details = new { attempt = 1, stage = "roles" },
    });
}

insert.Stop();

// 2. Filtered page queries, as the audit page sends them.
var latencies = new List<double>();
for (var i = 0; i < 200; i++)
{
    var query = (i % 4) switch
    {
        0 => new AuditQuery { ActorId = $"actor-{random.Next(actors.Length)}", PageSize = 25, Page = random.Next(5) },
        1 => new AuditQuery { Action = actions[random.Next(actions.Length)], EnvironmentId = environmentsIds[random.Next(environmentsIds.Length)], PageSize = 25 },
        2 => new AuditQuery { Outcome = AuditOutcome.Failure, From = DateTimeOffset.UtcNow.AddHours(-1), PageSize = 50 },
        _ => new AuditQuery { EnvironmentId = environmentsIds[random.Next(environmentsIds.Length)], SortBy = AuditSortField.Action, Descending = false, PageSize = 25 },
    };
    var watch = Stopwatch.StartNew();
    await trail.QueryAsync(query);
    latencies.Add(watch.Elapsed.TotalMilliseconds);
}

latencies.Sort();
double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];

// 3. Streaming export: memory must stay flat whatever the row count.
GC.Collect();
var before = GC.GetTotalMemory(true);
var peak = before;
var rows = 0;
var export = Stopwatch.StartNew();
await using (var writer = new StreamWriter(Stream.Null))
{
    await foreach (var evt in trail.StreamAsync(new AuditQuery()))
    {
        await writer.WriteLineAsync($"{evt.Sequence},{evt.TimestampUtc:O},{evt.ActorName},{evt.Action},{evt.Outcome},{evt.TargetId},{evt.DetailsJson}");
        if (++rows % 10_000 == 0)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(false));
        }

        if (rows >= exportRows)
        {
            break;
        }
    }
}

export.Stop();
var size = new FileInfo(Path.Combine(directory, "portal.db")).Length + (File.Exists(Path.Combine(directory, "portal.db-wal")) ? new FileInfo(Path.Combine(directory, "portal.db-wal")).Length : 0);

Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| events inserted | {events:N0} in {insert.Elapsed.TotalSeconds:F1} s = {events / insert.Elapsed.TotalSeconds:N0} events/s |");
Console.WriteLine($"| filtered page query (200 queries) | p50 {Percentile(0.50):F1} ms, p95 {Percentile(0.95):F1} ms, max {latencies[^1]:F1} ms (target p95 ≤ 50 ms) |");
Console.WriteLine($"| streaming export | {rows:N0} rows in {export.Elapsed.TotalSeconds:F1} s; managed heap {before / 1048576.0:F1} MB before, peak {peak / 1048576.0:F1} MB |");
Console.WriteLine($"| database size | {size / 1048576.0:F0} MB |");

await services.DisposeAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
Directory.Delete(directory, recursive: true);
return 0;
