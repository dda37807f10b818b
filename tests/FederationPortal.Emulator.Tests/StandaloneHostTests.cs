namespace FederationPortal.Emulator.Tests;

/// <summary>The standalone host's own configuration: a bad value stops it at start, naming the key.</summary>
public sealed class StandaloneHostTests
{
    [Fact]
    public async Task A_trusted_proxy_that_is_not_an_ip_address_stops_the_emulator_naming_the_key()
    {
        await using var emulator = new EmulatorProcess();
        using var process = emulator.Start("--urls", "http://127.0.0.1:0", "--Emulator:DataDirectory", emulator.DataDirectory, "--Emulator:TrustedProxies:0", "proxy.example");

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Emulator:TrustedProxies must hold IP addresses; not one: proxy.example", emulator.Output);
    }
}
