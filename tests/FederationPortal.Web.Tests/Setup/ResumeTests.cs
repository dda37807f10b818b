using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Setup;

public sealed class ResumeTests
{
    [Fact]
    public async Task Stopping_the_portal_mid_apply_and_starting_it_again_finishes_the_job_with_nothing_duplicated()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        // Slow clouds, so that the stop lands in the middle of the operation.
        var slow = new Dictionary<string, string?> { ["Sandbox:Faults:LatencyMilliseconds"] = "150" };
        Guid environmentId;
        Guid operationId;
        await using (var first = new PortalHost(slow, dataDirectory))
        {
            var driver = new SetupDriver(first);
            _ = first.BaseAddress;
            var environment = await driver.CreateEnvironmentAsync("Contoso resume");
            environmentId = environment.Id;
            await driver.SaveSpecAsync(environment.Id, SetupDriver.StandardSpec(provisioning: true));
            operationId = (await driver.ApplyAsync(environment.Id)).Id;

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await driver.WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetOperationAsync(operationId)))!
                   .Actions.Count(a => a.Status == ActionStatus.Succeeded) < 3)
            {
                await Task.Delay(20, deadline.Token); // waits for the operation to be well under way
            }
        } // the portal stops here, mid-operation

        // What the stopped portal left behind: an unfinished operation, some actions done, some not.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=False"))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT Status, (SELECT COUNT(*) FROM OperationActions a WHERE a.OperationId = o.Id AND a.Status <> 'Succeeded') FROM Operations o WHERE Id = $id";
            command.Parameters.AddWithValue("$id", operationId.ToString().ToUpperInvariant());
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken), "the operation row exists");
            Assert.Equal("Running", reader.GetString(0));
            Assert.True(reader.GetInt32(1) > 0, "some actions were still to do when the portal stopped");
        }

        await using var second = new PortalHost(dataDirectory: dataDirectory);
        var resumed = new SetupDriver(second);
        _ = second.BaseAddress;
        var operation = await resumed.WaitAsync(operationId, TimeSpan.FromSeconds(90));

        Assert.True(operation.Status == OperationStatus.Succeeded,
            string.Join("\n", operation.Actions.Select(a => $"{a.ActionId}: {a.Status} x{a.Attempts} {a.Error}")) + "\n" + second.Logs);
        Assert.True(operation.Actions.Sum(a => a.Attempts) >= operation.Actions.Count(a => a.Change != ChangeKind.NoChange));
        var apps = await resumed.WithScopeAsync(sp => sp.GetRequiredService<IEntraDirectoryService>().FindApplicationsByDisplayNameAsync("AWS Contoso resume"));
        Assert.Single(apps);
        var result = await resumed.WithScopeAsync(sp => sp.GetRequiredService<SignInTestService>()
            .SignInAsync(SetupDriver.Admin, environmentId, "diego.siciliani@contoso.example", "FP-ReadOnly"));
        Assert.True(result.Success, string.Join("\n", result.Steps.Select(s => $"{s.Name}: {s.Detail}")));
        var replan = await resumed.PlanAsync(environmentId);
        Assert.False(replan.HasChanges);
    }
}
