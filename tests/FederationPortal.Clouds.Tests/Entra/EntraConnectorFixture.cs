using FederationPortal.Core.Entra;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Clouds.Tests.Entra;

/// <summary>One portal with its sandbox tenant per test class; the connector under test talks to it through the Graph SDK.</summary>
public class EntraConnectorFixture : IAsyncLifetime
{
    public EntraConnectorFixture()
        : this(new Dictionary<string, string?> { ["Sandbox:InstantiateDelayMilliseconds"] = "500" })
    {
    }

    protected EntraConnectorFixture(Dictionary<string, string?> settings) => Host = new EmulatorHost(settings);

    public EmulatorHost Host { get; }

    public IEntraDirectoryService Entra => Host.Services.GetRequiredService<IEntraDirectoryService>();

    public ValueTask InitializeAsync()
    {
        _ = Host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
