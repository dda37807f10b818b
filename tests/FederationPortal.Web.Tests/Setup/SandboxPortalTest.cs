using FederationPortal.TestSupport;

namespace FederationPortal.Web.Tests.Setup;

/// <summary>A test class with its own running portal (sandbox clouds included) and a driver for its setup services.</summary>
public abstract class SandboxPortalTest : IAsyncLifetime
{
    protected PortalHost Host { get; } = new();

    internal SetupDriver Driver { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Driver = new SetupDriver(Host);
        _ = Host.BaseAddress;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
