using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// The portal process SIGKILLed at seeded-random moments while it applies and while it tears down (slow clouds, so
/// that the kills land mid-operation), started again on the same data folder each time: the worker resumes the
/// operations, and the end state is the one an uninterrupted run gives — exactly one of each resource and a working
/// sign-in after apply, nothing left after teardown. Repeat a failure with <c>FP_KILL_SEED=&lt;seed&gt;</c>.
/// </summary>
public sealed class KillAndResumeTests
{
    /// <summary>Kills wanted during apply and during teardown, over all lanes.</summary>
    private const int KillsPerPhase = 20;

    /// <summary>Portals killed side by side, each with its own data folder and environments.</summary>
    private const int Lanes = 2;

    private const int EnvironmentsPerRound = 4;

    [Fact]
    public async Task Killing_the_portal_at_random_points_of_apply_and_teardown_resumes_to_the_uninterrupted_end_state()
    {
        var seed = FaultScenario.SeedsFrom("FP_KILL_SEED")?[0] ?? 20261127;
        var clock = Stopwatch.StartNew();
        var lanes = await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => new KillLane(seed + lane, $"K{lane}", KillsPerPhase / Lanes).RunAsync()));

        var log = string.Join("\n", lanes.SelectMany(l => l.Log));
        TestContext.Current.TestOutputHelper?.WriteLine($"Kill suite, seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s:\n{log}");
        var failures = lanes.Where(l => l.Failure is not null).Select(l => $"lane seed {l.Seed}: {l.Failure}").ToList();
        Assert.True(failures.Count == 0, $"seed {seed} (repeat with FP_KILL_SEED={seed}):\n{string.Join("\n", failures)}\n{log}");
        Assert.True(lanes.Sum(l => l.ApplyKills) >= KillsPerPhase, $"only {lanes.Sum(l => l.ApplyKills)} kills landed during apply\n{log}");
        Assert.True(lanes.Sum(l => l.TeardownKills) >= KillsPerPhase, $"only {lanes.Sum(l => l.TeardownKills)} kills landed during teardown\n{log}");
    }

    /// <summary>One portal process and its data folder: rounds of environments applied and torn down under kills.</summary>
    private sealed class KillLane(int seed, string prefix, int killsWanted)
    {
        /// <summary>Slow clouds, so that a kill lands mid-operation: teardown has fewer actions, so it gets slower ones.</summary>
        private static Dictionary<string, string?> SlowClouds(int latencyMilliseconds) => new()
        {
            ["Sandbox:Faults:LatencyMilliseconds"] = latencyMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:InstantiateDelayMilliseconds"] = "300",
        };

        private Dictionary<string, string?> settings = SlowClouds(100);

        private readonly Random random = new(seed);
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests", "kill-" + Guid.NewGuid().ToString("N"));
        private PortalProcess? portal;

        public int Seed => seed;

        public int ApplyKills { get; private set; }

        public int TeardownKills { get; private set; }

        public List<string> Log { get; } = [];

        public string? Failure { get; private set; }

        public async Task<KillLane> RunAsync()
        {
            try
            {
                portal = await PortalProcess.StartAsync(dataDirectory, settings, TestContext.Current.CancellationToken);
                for (var round = 1; (ApplyKills < killsWanted || TeardownKills < killsWanted) && round <= 3; round++)
                {
                    await RoundAsync(round);
                }
            }
            catch (Exception ex)
            {
                Failure = (ex is Xunit.Sdk.XunitException ? ex.Message : ex.ToString()) + (portal is null ? "" : $"\nportal output:\n{portal.Output}");
            }
            finally
            {
                if (portal is not null)
                {
                    await portal.DisposeAsync();
                }

                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try
                {
                    Directory.Delete(dataDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // The OS temp folder cleans up after us.
                }
            }

            return this;
        }

        private async Task RoundAsync(int round)
        {
            var scenarios = Enumerable.Range(1, EnvironmentsPerRound).Select(i => FaultScenario.From(seed * 100 + round * 10 + i, $"{prefix}R{round}")).ToList();
            var environments = new List<(Guid Id, string Name, EnvironmentSpec Spec)>();
            foreach (var scenario in scenarios)
            {
                // Diego signs in after apply: make sure he is assigned.
                var spec = scenario.Spec.Assignments.Any(a => a.PrincipalId == SetupDriver.DiegoId && a.RoleName == scenario.Spec.Roles[0].Name)
                    ? scenario.Spec
                    : scenario.Spec with
                    {
                        Assignments = [.. scenario.Spec.Assignments, new AssignmentSpec { PrincipalId = SetupDriver.DiegoId, PrincipalType = PrincipalKind.User, PrincipalName = "diego.siciliani@contoso.example", RoleName = scenario.Spec.Roles[0].Name }],
                    };
                environments.Add((await CreateAsync(scenario.EnvironmentName, spec), scenario.EnvironmentName, spec));
            }

            var applies = new List<Guid>();
            foreach (var environment in environments)
            {
                applies.Add(await StartAsync($"api/environments/{environment.Id}/apply", null));
            }

            ApplyKills += await KillWhileRunningAsync(applies, killsWanted - ApplyKills, $"round {round} apply");
            await WaitAllSucceededAsync(applies, $"round {round} apply");
            settings = SlowClouds(250);
            await VerifyAsync(async census =>
            {
                foreach (var (id, _, spec) in environments)
                {
                    var environment = await census.EnvironmentAsync(id);
                    await census.AssertAuditedAsync(id, applies);
                    var problems = await census.Census.SetUpProblemsAsync(environment, spec);
                    Assert.True(problems.Count == 0, $"round {round}, {environment.Name} after apply: {string.Join("; ", problems)}");
                    var result = await census.Services.GetRequiredService<SignInTestService>()
                        .SignInAsync(SetupDriver.Admin, id, "diego.siciliani@contoso.example", spec.Roles[0].Name, TestContext.Current.CancellationToken);
                    Assert.True(result.Success, $"round {round}, {environment.Name} sign-in: " + string.Join("; ", result.Steps.Select(s => $"{s.Name}: {s.Detail}")));
                    var replan = await census.Services.GetRequiredService<SetupService>().PlanAsync(id, TestContext.Current.CancellationToken);
                    Assert.False(replan.HasChanges, $"round {round}, {environment.Name}: the plan after apply still has changes");
                }
            });

            var teardowns = new List<Guid>();
            foreach (var environment in environments)
            {
                teardowns.Add(await StartAsync($"api/environments/{environment.Id}/teardown", new { confirmName = environment.Name }));
            }

            TeardownKills += await KillWhileRunningAsync(teardowns, killsWanted - TeardownKills, $"round {round} teardown");
            await WaitAllSucceededAsync(teardowns, $"round {round} teardown");
            settings = SlowClouds(100);
            await VerifyAsync(async census =>
            {
                foreach (var (id, _, spec) in environments)
                {
                    var environment = await census.EnvironmentAsync(id);
                    Assert.Equal(EnvironmentStatus.Deleted, environment.Status);
                    await census.AssertAuditedAsync(id, teardowns);
                    var left = await census.Census.LeftoversAsync(environment, spec);
                    Assert.True(left.Count == 0, $"round {round}, {environment.Name} after teardown: {string.Join("; ", left)}");
                }
            }, restart: ApplyKills < killsWanted || TeardownKills < killsWanted);
        }

        /// <summary>
        /// Kills the portal at a random moment (0.1–1 s after it is up, which is when the worker resumes), restarts it,
        /// and again, until the operations have ended; returns how many kills found an operation unfinished.
        /// </summary>
        private async Task<int> KillWhileRunningAsync(IReadOnlyList<Guid> operations, int wanted, string phase)
        {
            var kills = 0;
            while (kills < wanted)
            {
                var wait = random.Next(100, 800);
                await Task.Delay(wait, TestContext.Current.CancellationToken); // the seeded-random kill point
                var progress = await ProgressAsync(operations);
                if (progress.All(p => p.Finished))
                {
                    break;
                }

                portal!.Kill();
                kills++;
                Log.Add($"  lane {seed} {phase} (t={clock.Elapsed.TotalSeconds:0.0} s): kill {kills} at +{wait} ms: {string.Join(", ", progress.Select(p => p.Text))}");
                await portal.DisposeAsync();
                portal = await PortalProcess.StartAsync(dataDirectory, settings, TestContext.Current.CancellationToken);
            }

            return kills;
        }

        private async Task<List<(bool Finished, string Text)>> ProgressAsync(IEnumerable<Guid> operations)
        {
            var progress = new List<(bool, string)>();
            foreach (var id in operations)
            {
                var operation = JsonNode.Parse(await portal!.Client.GetStringAsync($"api/operations/{id}", TestContext.Current.CancellationToken))!;
                var status = operation["status"]!.GetValue<string>();
                var actions = operation["actions"]!.AsArray();
                var done = actions.Count(a => a!["status"]!.GetValue<string>() is "Succeeded");
                progress.Add((status is "Succeeded" or "Failed" or "Cancelled", $"{done}/{actions.Count}{(status is "Succeeded" ? " done" : "")}"));
            }

            return progress;
        }

        private async Task WaitAllSucceededAsync(IEnumerable<Guid> operations, string phase)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(120));
            foreach (var id in operations)
            {
                while (true)
                {
                    var operation = JsonNode.Parse(await portal!.Client.GetStringAsync($"api/operations/{id}", deadline.Token))!;
                    var status = operation["status"]!.GetValue<string>();
                    if (status is "Succeeded")
                    {
                        break;
                    }

                    if (status is "Failed" or "Cancelled")
                    {
                        throw new Xunit.Sdk.XunitException($"{phase}: operation {id} ended {status}: {operation["error"]}\n" +
                            string.Join("\n", operation["actions"]!.AsArray().Select(a => $"  {a!["actionId"]}: {a["status"]} x{a["attempts"]} {a["error"]}")));
                    }

                    await Task.Delay(100, deadline.Token); // polls the operation until it ends or the deadline passes
                }
            }
        }

        private async Task<Guid> CreateAsync(string name, EnvironmentSpec spec)
        {
            using var response = await portal!.Client.PostAsJsonAsync("api/environments", new
            {
                name,
                entraTenantId = SetupDriver.TenantId,
                awsAccountId = SetupDriver.AccountId,
                desiredState = JsonSerializer.SerializeToNode(spec, EnvironmentSpec.Json),
            }, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"create {name}: {(int)response.StatusCode} {body}");
            return JsonNode.Parse(body)!["environment"]!["id"]!.GetValue<Guid>();
        }

        private async Task<Guid> StartAsync(string path, object? body)
        {
            using var response = body is null
                ? await portal!.Client.PostAsync(path, null, TestContext.Current.CancellationToken)
                : await portal!.Client.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!["id"]!.GetValue<Guid>();
        }

        /// <summary>Stops the portal process and looks at the clouds through an in-process portal on the same data folder; then starts the process again if more is to come.</summary>
        private async Task VerifyAsync(Func<Verification, Task> check, bool restart = true)
        {
            await portal!.DisposeAsync();
            portal = null;
            await using (var host = new PortalHost(dataDirectory: dataDirectory))
            {
                _ = host.BaseAddress;
                await using var scope = host.Services.CreateAsyncScope();
                await check(new Verification(scope.ServiceProvider));
            }

            if (restart)
            {
                portal = await PortalProcess.StartAsync(dataDirectory, settings, TestContext.Current.CancellationToken);
            }
        }
    }

    private sealed class Verification(IServiceProvider services)
    {
        public IServiceProvider Services => services;

        public CloudCensus Census { get; } = new(services);

        public Task<FederationEnvironment> EnvironmentAsync(Guid id) => services.GetRequiredService<SetupService>().GetEnvironmentAsync(id);

        /// <summary>The environment's operation (one of <paramref name="operations"/>) is audited: its end, and each action's success.</summary>
        public async Task AssertAuditedAsync(Guid environmentId, IEnumerable<Guid> operations)
        {
            var events = new List<AuditEvent>();
            await foreach (var e in services.GetRequiredService<IAuditTrail>().StreamAsync(new AuditQuery { EnvironmentId = environmentId }))
            {
                events.Add(e);
            }

            foreach (var id in operations)
            {
                var operation = await services.GetRequiredService<SetupService>().GetOperationAsync(id);
                if (operation is null || operation.EnvironmentId != environmentId)
                {
                    continue;
                }

                var correlated = events.Where(e => e.CorrelationId == id.ToString()).ToList();
                Assert.Contains(correlated, e => e.Action == $"operation.{operation.Kind.ToString().ToLowerInvariant()}.complete" && e.Outcome == AuditOutcome.Success);
                foreach (var action in operation.Actions)
                {
                    Assert.True(correlated.Any(e => e.Outcome == AuditOutcome.Success && JsonDocument.Parse(e.DetailsJson).RootElement.TryGetProperty("actionId", out var actionId) && actionId.GetString() == action.ActionId),
                        $"{operation.Kind} {id}: no success audit event for {action.ActionId} ({action.Status} x{action.Attempts})");
                }
            }
        }
    }
}
