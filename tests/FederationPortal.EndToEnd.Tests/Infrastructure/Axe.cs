using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace FederationPortal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Deque's axe-core in the page under test. The script comes from npm, not from the repository: the first test that
/// needs it runs npm (which scripts/test.sh installs) into ~/.cache, or is skipped with the reason when npm is not
/// there. <c>FP_AXE</c> names another axe.min.js.
/// </summary>
public static class Axe
{
    public const string Version = "4.14.1";

    /// <summary>The WCAG 2.1 A and AA rules: what issue P14 asks for, without the best-practice rules.</summary>
    private static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? script;

    /// <summary>Where scripts/test.sh and this class install axe-core: one folder per version under ~/.cache.</summary>
    public static string InstallDirectory => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "federationportal", $"axe-core-{Version}");

    private static string ScriptPath => Environment.GetEnvironmentVariable("FP_AXE") is { Length: > 0 } path
        ? path
        : Path.Combine(InstallDirectory, "node_modules", "axe-core", "axe.min.js");

    /// <summary>The source of axe.min.js, installed with npm on first use; skips the test when that is impossible.</summary>
    public static async Task<string> ScriptAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (script is null)
            {
                if (!File.Exists(ScriptPath))
                {
                    await InstallAsync();
                }

                script = await File.ReadAllTextAsync(ScriptPath);
            }

            return script;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>
    /// Runs the WCAG 2.1 AA rules on the whole document. The page's context must bypass the portal's CSP: the script
    /// is added inline, which the policy (rightly) refuses to anything without the response's nonce.
    /// </summary>
    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = await ScriptAsync() });
        }

        // A control still fading or sliding in (a disabled button's background, a label's transition) is measured
        // against whatever is behind it at that instant: wait for the page's finite animations to end first.
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");

        var json = await page.EvaluateAsync<string>(
            """
            async tags => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return JSON.stringify(result.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => ({ target: n.target.map(String).join(' '), summary: (n.failureSummary || '').split('\n').slice(0, 3).join(' ') })),
              })));
            }
            """, Tags);
        return JsonSerializer.Deserialize<AxeViolation[]>(json, JsonSerializerOptions.Web) ?? [];
    }

    private static async Task InstallAsync()
    {
        Directory.CreateDirectory(InstallDirectory);
        var start = new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--prefix", InstallDirectory, $"axe-core@{Version}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process? npm;
        try
        {
            npm = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            npm = null;
        }

        if (npm is null)
        {
            Assert.Skip($"axe-core {Version} is not installed at {ScriptPath} and npm is not available to install it (scripts/test.sh does).");
            return;
        }

        using (npm)
        {
            var error = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0 || !File.Exists(ScriptPath))
            {
                Assert.Skip($"npm could not install axe-core {Version} into {InstallDirectory} (exit {npm.ExitCode}): {await error}");
            }
        }
    }
}
