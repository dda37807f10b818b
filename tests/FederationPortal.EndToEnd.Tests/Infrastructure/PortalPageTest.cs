using System.Text.RegularExpressions;
using FederationPortal.Data;
using Microsoft.Data.Sqlite;
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

    private readonly List<IBrowserContext> contexts = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> failedResponses = new();
    private int screenshotCount;

    static PortalPageTest() => SetDefaultExpectTimeout(TimeoutMs);

    protected PortalBrowserFixture Fixture => fixture;

    protected string BaseAddress => fixture.BaseAddress;

    /// <summary>A page in a new browser context (its own cookies): one per person signed in during a test.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress,
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
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
            Assert.Fail($"On {page.Url} the portal did not serve these assets (the page renders unstyled, without a Blazor circuit):"
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
