using System.Net;
using FederationPortal.Core.Monitoring;
using FederationPortal.TestSupport;
using FederationPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Components;

/// <summary><c>GET /api/activity.csv</c> over real HTTP, against a timeline the test sets.</summary>
public sealed class ActivityExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeActivityService activity = new();
    private readonly PortalHost host;

    public ActivityExportTests() => host = new PortalHost(configureServices: services => services.AddSingleton<IActivityService>(activity));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task Export_is_refused_to_anonymous_callers_with_401()
    {
        using var client = host.CreateRealClient();
        var response = await client.GetAsync("api/activity.csv", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(activity.Queries);
    }

    [Fact]
    public async Task A_reader_exports_the_filtered_timeline_as_csv_with_both_halves_and_formula_safe_cells()
    {
        var hostile = ActivitySamples.FailedAtAws(Now.AddMinutes(-5)) with { Explanation = "=HYPERLINK(\"http://evil\")", User = "eve, \"the\" tester" };
        activity.Timeline = new([ActivitySamples.Succeeded(Now.AddHours(-1)), hostile], ["CloudTrail could not be read: throttled."]);
        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.ReaderId);

        var response = await client.GetAsync(
            $"api/activity.csv?environmentId={ActivitySamples.EnvironmentId}&from=2026-11-26T10:00:00Z&to=2026-11-27T10:00:00Z&user=diego&role=FP-ReadOnly&outcome=Failed",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("activity-", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Activity-Incomplete")));
        var query = Assert.Single(activity.Queries);
        Assert.Equal(new ActivityQuery(ActivitySamples.EnvironmentId, Now.AddDays(-1), Now, "diego", "FP-ReadOnly", ActivityOutcomeFilter.Failed, 10_000), query);

        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join(',', ActivityStatistics.CsvHeader), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("arn:aws:sts::111122223333:assumed-role/FP-ReadOnly/diego.siciliani@contoso.example", lines[1]);
        Assert.StartsWith("2026-11-27T09:00:00Z,Contoso sandbox,diego.siciliani@contoso.example,FP-ReadOnly,", lines[1]);
        Assert.Contains(",Succeeded,", lines[1]);
        Assert.Contains("\"eve, \"\"the\"\" tester\"", lines[2]);
        Assert.Contains(",AccessDenied,", lines[2]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", lines[2]);
        Assert.Contains("Restore the role's trust policy", lines[2]);
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_is_refused_with_400()
    {
        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.ReaderId);

        var response = await client.GetAsync("api/activity.csv?from=2026-11-27T10:00:00Z&to=2026-11-20T10:00:00Z", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(activity.Queries);
    }
}
