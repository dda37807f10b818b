using FederationPortal.Core.Aws;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Clouds.Tests.Aws;

/// <summary>The connector against a sandbox that throttles and fails a share of calls (seeded, so the run repeats).</summary>
public sealed class AwsConnectorRetryTests : IAsyncLifetime
{
    private readonly EmulatorHost host = new(new Dictionary<string, string?>
    {
        ["Sandbox:Faults:ThrottleRate"] = "0.3",
        ["Sandbox:Faults:ServerErrorRate"] = "0.1",
        ["Sandbox:Faults:Seed"] = "7",
    });

    public ValueTask InitializeAsync()
    {
        _ = host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_until_the_calls_succeed()
    {
        var iam = host.Services.GetRequiredService<IAwsIam>();
        var token = TestContext.Current.CancellationToken;
        const string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

        for (var i = 0; i < 8; i++)
        {
            await iam.CreateRoleAsync(new CreateRoleRequest($"Flaky{i}", trust), token);
        }

        Assert.Equal(8, (await iam.ListRolesAsync(cancellationToken: token)).Count);
        var user = await iam.CreateUserAsync("flaky-user", cancellationToken: token);
        Assert.Equal("flaky-user", user.UserName);
        Assert.Equal("111122223333", (await host.Services.GetRequiredService<IAwsSts>().GetCallerIdentityAsync(token)).Account);
    }
}
