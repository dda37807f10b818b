using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Setup;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Faults;

public sealed class ReplicationLagTests
{
    /// <summary>
    /// Entra creates the gallery app asynchronously: for a while after instantiate, no query finds it. A portal stopped
    /// in that window and started again must wait for the app it created rather than instantiate a second one.
    /// </summary>
    [Fact]
    public async Task A_portal_stopped_while_entra_replicates_the_new_app_adopts_it_after_the_restart_instead_of_creating_another()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests", Guid.NewGuid().ToString("N"));
        var lagging = new Dictionary<string, string?> { ["Sandbox:InstantiateDelayMilliseconds"] = "6000" };
        var spec = new EnvironmentSpec
        {
            Roles = [new RoleSpec { Name = "Lag-ReadOnly", Template = RoleTemplate.ReadOnly }],
            Provisioning = new ProvisioningSpec { Enabled = false },
        };
        Guid operationId;
        Core.Environments.FederationEnvironment environment;
        await using (var first = new PortalHost(lagging, dataDirectory))
        {
            var driver = new SetupDriver(first);
            _ = first.BaseAddress;
            environment = await driver.CreateEnvironmentAsync("Contoso lag");
            await driver.SaveSpecAsync(environment.Id, spec);
            operationId = (await driver.ApplyAsync(environment.Id)).Id;

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!first.Logs.Lines.Any(l => l.Contains("Instantiated AWS gallery app", StringComparison.Ordinal)))
            {
                await Task.Delay(20, deadline.Token); // waits until instantiate has answered and the portal polls for the app
            }
        } // stopped while the new app is not readable yet

        try
        {
            await using var second = new PortalHost(lagging, dataDirectory);
            var resumed = new SetupDriver(second);
            _ = second.BaseAddress;
            var operation = await resumed.WaitAsync(operationId, TimeSpan.FromSeconds(90));

            Assert.True(operation.Status == OperationStatus.Succeeded, string.Join("\n", operation.Actions.Select(a => $"{a.ActionId}: {a.Status} {a.Error}")));
            var apps = await resumed.WithScopeAsync(sp => sp.GetRequiredService<IEntraDirectoryService>().FindApplicationsByDisplayNameAsync("AWS Contoso lag"));
            Assert.Single(apps);
        }
        finally
        {
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
    }
}
