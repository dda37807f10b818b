using System.Text.RegularExpressions;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;
using FederationPortal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FederationPortal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Base of the browser tests: opens a fresh browser context per signed-in person, signs in through the sandbox page,
/// waits for Blazor's circuit before clicking, screenshots every page it shows, and reads the portal's SQLite database.
/// </summary>
public abstract class PortalPageTest(PortalBrowserFixture fixture) : IAsyncDisposable
{
    /// <summary>How long a page or an expectation may take: generous, the machines are shared and small.</summary>
    private const float TimeoutMs = 30_000;

    public const string Admin = "adele.vance@contoso.example";
    public const string Reader = "megan.bowen@contoso.example";
    public const string NoRole = "alex.wilber@contoso.example";

    /// <summary>Adele Vance as the services see her, for setting up what a test needs without the UI.</summary>
    protected static readonly PortalActor SetupAdmin = new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f01", "Adele Vance", [PortalRoles.Admin]);

    private readonly List<IBrowserContext> contexts = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> failedResponses = new();
    private int screenshotCount;

    static PortalPageTest() => SetDefaultExpectTimeout(TimeoutMs);

    protected PortalBrowserFixture Fixture => fixture;

    protected string BaseAddress => fixture.BaseAddress;

    /// <summary>
    /// A page in a new browser context (its own cookies): one per person signed in during a test. The window is
    /// 1366x900 unless <paramref name="viewport"/> says otherwise. <paramref name="bypassCsp"/> is for the accessibility
    /// tests only, which add axe-core as an inline script; every other test fails when the portal's CSP blocks something.
    /// </summary>
    protected async Task<IPage> NewPageAsync(ViewportSize? viewport = null, bool bypassCsp = false)
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress,
            ViewportSize = viewport ?? new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
            BypassCSP = bypassCsp,
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        contexts.Add(context);
        var page = await context.NewPageAsync();

        // The browser's own complaints go to the test output: the first clue when a page does not come alive.
        var output = TestContext.Current.TestOutputHelper;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                output?.WriteLine($"[browser {message.Type}] {message.Text}");
            }

            // The Content-Security-Policy blocked something the page needed: a policy too strict, or an inline script.
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                failedResponses.Enqueue($"CSP: {message.Text}");
            }
        };
        page.PageError += (_, error) => output?.WriteLine($"[page error] {error}");
        page.RequestFailed += (_, request) => output?.WriteLine($"[request failed] {request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            // A stylesheet or script the portal fails to serve leaves a page unstyled or dead (no Blazor circuit).
            if (response.Status >= 400 && response.Request.ResourceType is "stylesheet" or "script" or "image" or "font")
            {
                failedResponses.Enqueue($"{response.Request.Method} {response.Url} answered {response.Status}");
            }
        };
        return page;
    }

    /// <summary>Signs <paramref name="upn"/> in on the sandbox sign-in page and waits until the portal is interactive.</summary>
    protected async Task SignInAsync(IPage page, string upn)
    {
        await OpenSignInPageAsync(page, upn);
        await page.GetByTestId($"signin-{upn}").ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/account/", StringComparison.Ordinal));
        }
        catch (TimeoutException) when (new Uri(page.Url).AbsolutePath == "/account/signin")
        {
            // Seen once under heavy load: the form post never left the sign-in page. Submit once more and report it.
            TestContext.Current.TestOutputHelper?.WriteLine($"Sign-in of {upn} did not navigate within the timeout; submitting again.");
            await page.GetByTestId($"signin-{upn}").ClickAsync();
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/account/", StringComparison.Ordinal));
        }
        await WaitForInteractiveAsync(page);
        await ScreenshotAsync(page, $"signed-in-{UserName(upn)}");
    }

    /// <summary>The tab of a setup stage in the wizard's stepper, by (the start of) its title.</summary>
    protected static ILocator StageTab(IPage page, string stage)
        => page.GetByTestId("setup-stepper").GetByRole(AriaRole.Tab, new() { Name = stage, Exact = false });

    /// <summary>Opens the sandbox sign-in page and checks that it lists <paramref name="upn"/>.</summary>
    protected async Task OpenSignInPageAsync(IPage page, string upn)
    {
        await page.GotoAsync("/account/signin");
        await Expect(page.GetByTestId($"signin-{upn}")).ToBeEnabledAsync();
        await ScreenshotAsync(page, "signin");
    }

    /// <summary>Navigates to a portal page (full load), waits for the Blazor circuit and screenshots it.</summary>
    protected async Task GotoAsync(IPage page, string path, string step)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        await ScreenshotAsync(page, step);
    }

    /// <summary>
    /// Waits until the layout has rendered over the live circuit (MainLayout marks itself data-interactive="true"),
    /// so that clicks reach their handlers instead of landing on the prerendered HTML.
    /// </summary>
    protected async Task WaitForInteractiveAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        AssertAssetsServed(page);
        await Expect(page.Locator("[data-interactive='true']")).ToBeAttachedAsync();
    }

    /// <summary>Saves a full-page screenshot to <c>$FP_TEST_RESULTS/screenshots/&lt;test&gt;-&lt;step&gt;.png</c>, after checking that no error boundary shows.</summary>
    protected async Task ScreenshotAsync(IPage page, string step)
    {
        var test = TestContext.Current.TestMethod?.MethodName ?? GetType().Name;
        var file = Path.Combine(ScreenshotDirectory, $"{test}-{++screenshotCount:00}-{step}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        AssertAssetsServed(page);
        await Expect(page.GetByTestId("error-boundary")).ToHaveCountAsync(0);
    }

    /// <summary>Fails with the list of stylesheets, scripts, images or fonts the portal did not serve so far.</summary>
    private void AssertAssetsServed(IPage page)
    {
        if (!failedResponses.IsEmpty)
        {
            Assert.Fail($"On {page.Url} the portal did not serve these assets, or its CSP blocked them (the page renders unstyled, without a Blazor circuit):"
                        + Environment.NewLine + string.Join(Environment.NewLine, failedResponses.Distinct()));
        }
    }

    /// <summary>The shared grid rows of the audit page that mention all of <paramref name="texts"/>.</summary>
    protected static ILocator AuditRows(IPage page, params string[] texts)
    {
        var rows = page.GetByTestId("audit-grid").Locator("tbody tr");
        foreach (var text in texts)
        {
            rows = rows.Filter(new LocatorFilterOptions { HasText = text });
        }

        return rows;
    }

    /// <summary>The portal's own database file, opened without pooling so no handle outlives the call.</summary>
    protected SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(fixture.Portal.DataDirectory, DataServiceCollectionExtensions.DatabaseFileName),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    protected long CountRows(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected long CountAuditEvents(string actorName, string action, string outcome)
        => CountRows(
            "SELECT COUNT(*) FROM AuditEvents WHERE ActorName = $actor AND Action = $action AND Outcome = $outcome",
            ("$actor", actorName), ("$action", action), ("$outcome", outcome));

    protected static Regex PathIs(string path) => new($"^[^?#]*//[^/]+{Regex.Escape(path)}([?#].*)?$");

    /// <summary>
    /// An environment created and applied through the services (the wizard has its own test), returned once its setup
    /// operation succeeded; fails the test when it fails, is cancelled or takes over 90 seconds.
    /// </summary>
    protected async Task<FederationEnvironment> ApplyEnvironmentAsync(string name, EnvironmentSpec spec)
    {
        var environment = await WithScopeAsync(sp => sp.GetRequiredService<EnvironmentService>()
            .CreateAsync(SetupAdmin, new EnvironmentDraft(name, "8f4a3c2e-1b7d-4e6f-9a0c-5d2b8e1f7a63", "111122223333")));
        await WithScopeAsync(sp => sp.GetRequiredService<SetupService>().SaveSpecAsync(SetupAdmin, environment.Id, spec));
        var operation = await WithScopeAsync(sp => sp.GetRequiredService<SetupService>().ApplyAsync(SetupAdmin, environment.Id));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var current = await WithScopeAsync(sp => sp.GetRequiredService<SetupService>().GetOperationAsync(operation.Id, deadline.Token));
            if (current is { Status: OperationStatus.Succeeded })
            {
                return environment;
            }

            Assert.False(current is { Status: OperationStatus.Failed or OperationStatus.Cancelled }, $"Setup ended {current?.Status}: {current?.Error}");
            await Task.Delay(100, deadline.Token); // polls the operation until it ends or the deadline passes
        }
    }

    /// <summary>Runs <paramref name="work"/> with the portal's services in a scope of its own.</summary>
    protected async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static string UserName(string upn) => upn.Split('@')[0];

    private static string ScreenshotDirectory
    {
        get
        {
            var results = Environment.GetEnvironmentVariable("FP_TEST_RESULTS");
            if (string.IsNullOrWhiteSpace(results))
            {
                results = Path.Combine(FindRepositoryRoot(), "test-results");
            }

            var directory = Path.Combine(results, "screenshots");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FederationPortal.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
