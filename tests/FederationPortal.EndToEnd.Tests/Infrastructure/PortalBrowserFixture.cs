using FederationPortal.TestSupport;
using Microsoft.Playwright;

namespace FederationPortal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One portal on a real Kestrel port (with its own data folder) and one headless Chromium, shared by the tests of a class.
/// Each test opens its own <see cref="IBrowserContext"/>, so cookies never leak between tests.
/// </summary>
public sealed class PortalBrowserFixture : IAsyncLifetime
{
    /// <summary>
    /// Debian's Chromium (the README's test command installs it), or the browser named by FP_CHROMIUM.
    /// Playwright's own browser download is never used.
    /// </summary>
    public static string ChromiumPath { get; } =
        Environment.GetEnvironmentVariable("FP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public string? SkipReason { get; private set; }

    public PortalHost Portal { get; } = new();

    public string BaseAddress => Portal.BaseAddress;

    public IBrowser Browser => browser ?? throw new InvalidOperationException(SkipReason ?? "The browser has not started.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            SkipReason = $"{ChromiumPath} is not installed (scripts/test.sh installs Debian's chromium package).";
            return;
        }

        // Start the portal first: a failure to boot is a real failure, not a reason to skip.
        _ = Portal.BaseAddress;

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Portal.DisposeAsync();
    }
}
