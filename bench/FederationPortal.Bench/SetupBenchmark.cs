using System.Diagnostics;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.Sandbox.People;
using FederationPortal.Sandbox.Storage;
using FederationPortal.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Bench;

/// <summary>
/// Issue P6 (5a): setup of an environment with many roles and assignments, and its teardown, against the sandbox with
/// injected latency per cloud call. Prints wall time, cloud calls, and the ratio to the critical path (the longest
/// dependency chain, summing each action's own duration, which is its sequential calls × latency plus overhead).
/// </summary>
internal static class SetupBenchmark
{
    private static readonly PortalActor Admin = new("bench", "Benchmark", [PortalRoles.Admin]);

    public static async Task<int> RunAsync(int roles, int assignments, int latencyMs, int? parallelism = null)
    {
        var counter = new CallCounter();
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Faults:LatencyMilliseconds"] = latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:InstantiateDelayMilliseconds"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (parallelism is { } p)
        {
            settings["Portal:Lifecycle:MaxParallelActions"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var host = new PortalHost(
            settings,
            configureServices: services => services.AddSingleton<IStartupFilter>(new CountingStartupFilter(counter)));
        _ = host.BaseAddress;

        // People to assign: the sandbox directory is seeded with a handful; add the rest.
        var store = host.Services.GetRequiredService<SandboxDocumentStore>();
        var people = Enumerable.Range(0, assignments).Select(i => new SandboxUser(
            Guid.NewGuid().ToString(), $"bench.user{i}@contoso.example", $"Bench User {i}", null, null, true, [])).ToList();
        foreach (var person in people)
        {
            store.Put(SandboxDirectory.UserKind, person.Id, person);
        }

        Guid environmentId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var environment = await scope.ServiceProvider.GetRequiredService<EnvironmentService>()
                .CreateAsync(Admin, new EnvironmentDraft("Bench", "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333"));
            environmentId = environment.Id;
            var roleNames = Enumerable.Range(0, roles).Select(i => $"Bench-Role-{i:00}").ToList();
            await scope.ServiceProvider.GetRequiredService<SetupService>().SaveSpecAsync(Admin, environmentId, new EnvironmentSpec
            {
                Roles = roleNames.Select(n => new RoleSpec { Name = n, Template = RoleTemplate.ReadOnly }).ToList(),
                Assignments = people.Select((p, i) => new AssignmentSpec { PrincipalId = p.Id, PrincipalName = p.UserPrincipalName, RoleName = roleNames[i % roles] }).ToList(),
            });
        }

        var setup = await TimeOperationAsync(host, counter, sp => sp.GetRequiredService<SetupService>().ApplyAsync(Admin, environmentId));
        var teardown = await TimeOperationAsync(host, counter, sp => sp.GetRequiredService<SetupService>().TeardownAsync(Admin, environmentId, "Bench"));

        Console.WriteLine($"Setup benchmark: {roles} roles, {assignments} assignments, {latencyMs} ms injected latency per cloud call, parallelism {host.Services.GetRequiredService<LifecycleOptions>().MaxParallelActions}");
        var maxParallel = host.Services.GetRequiredService<LifecycleOptions>().MaxParallelActions;
        Console.WriteLine("| operation | status | actions | wall time | cloud calls | critical path | ratio (target ≤ 1.5) | work ÷ parallelism | ratio to max(both bounds) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, result) in new[] { ("setup", setup), ("teardown", teardown) })
        {
            // A second lower bound: however the actions are ordered, P workers need at least (sum of durations) / P.
            var work = TimeSpan.FromTicks(result.Operation.Actions.Sum(a => a is { StartedAt: { } s, CompletedAt: { } c } ? (c - s).Ticks : 0) / maxParallel);
            var bound = work > result.CriticalPath ? work : result.CriticalPath;
            Console.WriteLine($"| {name} | {result.Operation.Status} | {result.Operation.Actions.Count} | {result.Wall.TotalSeconds:F1} s | {result.Calls:N0} | {result.CriticalPath.TotalSeconds:F1} s | {result.Wall.TotalSeconds / Math.Max(0.001, result.CriticalPath.TotalSeconds):F2} | {work.TotalSeconds:F1} s | {result.Wall.TotalSeconds / Math.Max(0.001, bound.TotalSeconds):F2} |");
        }

        return setup.Operation.Status == OperationStatus.Succeeded && teardown.Operation.Status == OperationStatus.Succeeded ? 0 : 1;
    }

    private sealed record Result(Operation Operation, TimeSpan Wall, long Calls, TimeSpan CriticalPath);

    private static async Task<Result> TimeOperationAsync(PortalHost host, CallCounter counter, Func<IServiceProvider, Task<Operation>> start)
    {
        var before = counter.Count;
        var watch = Stopwatch.StartNew();
        Guid id;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            id = (await start(scope.ServiceProvider)).Id;
        }

        Operation operation;
        while (true)
        {
            await using var scope = host.Services.CreateAsyncScope();
            operation = (await scope.ServiceProvider.GetRequiredService<SetupService>().GetOperationAsync(id))!;
            if (operation.Status is OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled)
            {
                break;
            }

            await Task.Delay(50);
        }

        watch.Stop();
        return new Result(operation, watch.Elapsed, Interlocked.Read(ref counter.Count) - before, CriticalPath(operation));
    }

    /// <summary>The longest dependency chain, each action weighing its own measured duration.</summary>
    private static TimeSpan CriticalPath(Operation operation)
    {
        var byId = operation.Actions.ToDictionary(a => a.ActionId);
        var memo = new Dictionary<string, TimeSpan>();
        TimeSpan Finish(string id)
        {
            if (memo.TryGetValue(id, out var known))
            {
                return known;
            }

            var action = byId[id];
            var own = action is { StartedAt: { } s, CompletedAt: { } c } ? c - s : TimeSpan.Zero;
            return memo[id] = own + action.DependsOn.Where(byId.ContainsKey).Select(Finish).DefaultIfEmpty(TimeSpan.Zero).Max();
        }

        return operation.Actions.Select(a => Finish(a.ActionId)).DefaultIfEmpty(TimeSpan.Zero).Max();
    }

    private sealed class CallCounter
    {
        public long Count;
    }

    /// <summary>Counts requests to the emulated clouds (every IAM, STS, Graph and login call).</summary>
    private sealed class CountingStartupFilter(CallCounter counter) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
            {
                if (context.Request.Path.StartsWithSegments("/sandbox/aws") || context.Request.Path.StartsWithSegments("/sandbox/graph") || context.Request.Path.StartsWithSegments("/sandbox/login"))
                {
                    Interlocked.Increment(ref counter.Count);
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
