using Bunit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Monitoring;
using FederationPortal.Web.Components.Pages.Activity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FederationPortal.Web.Tests.Components;

public sealed class ActivityPageTests : PortalComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeActivityService activity = new();
    private readonly IRenderedComponent<MudBlazor.MudPopoverProvider> popovers;

    public ActivityPageTests()
    {
        SignInAsReader();
        Services.AddSingleton<IActivityService>(activity);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        Store.Items.Add(new FederationEnvironment { Id = ActivitySamples.EnvironmentId, Name = "Contoso sandbox", EntraTenantId = "t", AwsAccountId = "111122223333" });
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        popovers = Render<MudBlazor.MudPopoverProvider>();
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<SignInActivity> RenderAt(string address, Guid? environmentId = null)
    {
        Navigation.NavigateTo(address);
        return Render<SignInActivity>(p => p.Add(c => c.EnvironmentId, environmentId));
    }

    [Fact]
    public void Each_sign_in_is_one_entry_with_its_Entra_half_and_its_AWS_half()
    {
        activity.Timeline = new([ActivitySamples.Succeeded(Now.AddHours(-2))], []);

        var page = RenderAt("/activity");

        var entry = page.WaitForElement("[data-testid=activity-entry]");
        Assert.Equal("Succeeded", entry.GetAttribute("data-outcome"));
        Assert.Contains("2026-11-27 08:00:00", entry.TextContent);
        Assert.Contains("diego.siciliani@contoso.example", entry.TextContent);
        Assert.Contains("Contoso sandbox", entry.TextContent); // the environment column, on the page across all environments
        var entra = entry.QuerySelector("[data-testid=activity-entra]")!.TextContent;
        Assert.Contains("AWS Single-Account Access", entra);
        Assert.Contains("Signed in", entra);
        var aws = entry.QuerySelector("[data-testid=activity-aws]")!.TextContent;
        Assert.Contains("FP-ReadOnly", aws);
        Assert.Contains("arn:aws:sts::111122223333:assumed-role/FP-ReadOnly/diego.siciliani@contoso.example", aws);
        Assert.Equal("Succeeded", entry.QuerySelector("[data-testid=activity-outcome]")!.TextContent.Trim());
        Assert.Null(entry.QuerySelector("[data-testid=activity-explanation]"));
    }

    [Fact]
    public void Failures_show_the_error_of_the_cloud_that_refused_with_the_cause_and_the_fix()
    {
        activity.Timeline = new([ActivitySamples.FailedAtAws(Now.AddMinutes(-5)), ActivitySamples.FailedAtEntra(Now.AddMinutes(-10))], []);

        var page = RenderAt("/activity");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=activity-entry]").Count));
        var awsFailure = page.Find("[data-testid=activity-entry][data-outcome=FailedAtAws]");
        Assert.Contains("Signed in", awsFailure.QuerySelector("[data-testid=activity-entra]")!.TextContent);
        Assert.Contains("AccessDenied", awsFailure.QuerySelector("[data-testid=activity-aws]")!.TextContent);
        Assert.Contains("trust policy does not allow", awsFailure.QuerySelector("[data-testid=activity-cause]")!.TextContent);
        Assert.Contains("Restore the role's trust policy", awsFailure.QuerySelector("[data-testid=activity-fix]")!.TextContent);
        Assert.Equal("Failed at AWS", awsFailure.QuerySelector("[data-testid=activity-outcome]")!.TextContent.Trim());

        var entraFailure = page.Find("[data-testid=activity-entry][data-outcome=FailedAtEntra]");
        Assert.Contains("AADSTS50105", entraFailure.QuerySelector("[data-testid=activity-entra]")!.TextContent);
        Assert.Contains("AWS never saw", entraFailure.QuerySelector("[data-testid=activity-aws]")!.TextContent);
        Assert.Contains("not assigned to the enterprise application", entraFailure.QuerySelector("[data-testid=activity-explanation]")!.TextContent);
        Assert.Contains("Assign the user", entraFailure.QuerySelector("[data-testid=activity-fix]")!.TextContent);
    }

    [Fact]
    public void Filters_in_the_address_become_the_query()
    {
        var page = RenderAt($"/environments/{ActivitySamples.EnvironmentId}/activity?range=24h&user=diego&role=FP-ReadOnly&outcome=failed", ActivitySamples.EnvironmentId);

        page.WaitForAssertion(() => Assert.Single(activity.Queries));
        var query = activity.LastQuery;
        Assert.Equal(ActivitySamples.EnvironmentId, query.EnvironmentId);
        Assert.Equal(Now, query.To);
        Assert.Equal(Now.AddHours(-24), query.From);
        Assert.Equal("diego", query.User);
        Assert.Equal("FP-ReadOnly", query.Role);
        Assert.Equal(ActivityOutcomeFilter.Failed, query.Outcome);
        Assert.Contains("Contoso sandbox", page.Find("[data-testid=activity-environment]").TextContent);
    }

    [Fact]
    public void Without_filters_the_page_asks_for_the_last_seven_days_of_every_environment()
    {
        var page = RenderAt("/activity?range=bogus");

        page.WaitForAssertion(() => Assert.Single(activity.Queries));
        Assert.Equal(new ActivityQuery(null, Now.AddDays(-7), Now), activity.LastQuery);
    }

    [Fact]
    public void Changing_a_filter_reloads_with_it_and_writes_it_to_the_address()
    {
        var page = RenderAt("/activity?outcome=Failed");
        page.WaitForAssertion(() => Assert.Single(activity.Queries));

        page.Find("#filter-user").Change("diego.siciliani");

        page.WaitForAssertion(() => Assert.Equal(2, activity.Queries.Count));
        Assert.Equal("diego.siciliani", activity.LastQuery.User);
        Assert.Equal(ActivityOutcomeFilter.Failed, activity.LastQuery.Outcome);
        var address = new Uri(Navigation.Uri);
        Assert.Equal("/activity", address.AbsolutePath);
        Assert.Contains("user=diego.siciliani", address.Query);
        Assert.Contains("outcome=Failed", address.Query);
    }

    [Fact]
    public void The_role_filter_offers_the_roles_the_portal_manages()
    {
        Store.Items[0].DesiredStateJson = new FederationPortal.Core.Federation.EnvironmentSpec
        {
            Roles = [new() { Name = "FP-ReadOnly" }, new() { Name = "FP-Administrator" }],
        }.ToJson();
        var page = RenderAt("/activity");
        page.WaitForAssertion(() => Assert.Single(activity.Queries));

        page.Find("[data-testid=filter-role]").Closest(".mud-select")!.MouseDown();
        var items = popovers.WaitForElements(".mud-popover-open .mud-list-item");
        Assert.Equal(["FP-Administrator", "FP-ReadOnly"], items.Select(i => i.TextContent.Trim()));
        items[0].Click();

        page.WaitForAssertion(() => Assert.Equal("FP-Administrator", activity.LastQuery.Role));
        Assert.Contains("role=FP-Administrator", new Uri(Navigation.Uri).Query);
    }

    [Fact]
    public void A_source_that_cannot_be_read_shows_a_warning_while_the_other_source_still_shows()
    {
        var entraOnly = ActivitySamples.Succeeded(Now.AddHours(-1)) with { Outcome = ActivityOutcome.EntraOnly, AwsEvent = null };
        activity.Timeline = new([entraOnly], ["CloudTrail could not be read: AccessDeniedException: User is not authorized to perform cloudtrail:LookupEvents."]);

        var page = RenderAt("/activity");

        var banner = page.WaitForElement("[data-testid=activity-source-error]");
        Assert.Contains("CloudTrail could not be read", banner.TextContent);
        var entry = page.Find("[data-testid=activity-entry]");
        Assert.Equal("EntraOnly", entry.GetAttribute("data-outcome"));
        Assert.Contains("AWS Single-Account Access", entry.TextContent);
    }

    [Fact]
    public void No_activity_says_how_to_produce_some()
    {
        var page = RenderAt($"/environments/{ActivitySamples.EnvironmentId}/activity", ActivitySamples.EnvironmentId);

        var empty = page.WaitForElement("[data-testid=activity-empty]");
        Assert.Contains("Sign-in test", empty.TextContent);
        Assert.NotNull(empty.QuerySelector($"a[href='/environments/{ActivitySamples.EnvironmentId}/setup']"));
        Assert.Empty(page.FindAll("[data-testid=activity-chart]"));
    }

    [Fact]
    public void No_match_for_narrowing_filters_offers_to_clear_them()
    {
        var page = RenderAt("/activity?user=nobody");

        var empty = page.WaitForElement("[data-testid=activity-empty]");
        Assert.Contains("Clear a filter", empty.TextContent);

        page.Find("[data-testid=activity-clear-filters]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, activity.Queries.Count));
        Assert.Null(activity.LastQuery.User);
        Assert.Equal("/activity", new Uri(Navigation.Uri).PathAndQuery);
    }

    [Fact]
    public void The_chart_counts_sign_ins_per_role()
    {
        activity.Timeline = new(
        [
            ActivitySamples.Succeeded(Now.AddHours(-1)),
            ActivitySamples.Succeeded(Now.AddDays(-1), role: "FP-Administrator"),
            ActivitySamples.FailedAtAws(Now.AddDays(-2)),
        ], []);

        var page = RenderAt("/activity");

        var chart = page.WaitForElement("[data-testid=activity-chart]");
        Assert.NotNull(chart.QuerySelector("svg"));
        Assert.Contains("FP-ReadOnly", chart.TextContent);      // the legend names each role
        Assert.Contains("FP-Administrator", chart.TextContent);
        Assert.Contains("11-27", chart.TextContent);            // the x axis names the days
        Assert.Contains("3 sign-in(s)", page.Find("[data-testid=activity-summary]").TextContent);
    }

    [Fact]
    public void A_failing_activity_service_shows_an_error_instead_of_breaking_the_page()
    {
        activity.Failure = new InvalidOperationException("The activity logs are unreachable.");

        var page = RenderAt("/activity");

        var error = page.WaitForElement("[data-testid=activity-error]");
        Assert.Contains("The activity logs are unreachable.", error.TextContent);
        Assert.NotNull(page.Find("[data-testid=activity-filters]"));
    }

    [Fact]
    public void A_progress_bar_shows_while_the_logs_are_read()
    {
        activity.Pending = new TaskCompletionSource<ActivityTimeline>(TaskCreationOptions.RunContinuationsAsynchronously);

        var page = RenderAt("/activity");

        page.WaitForElement("[data-testid=activity-loading]");
        activity.Pending.SetResult(new([ActivitySamples.Succeeded(Now.AddHours(-1))], []));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=activity-loading]")));
        Assert.Single(page.FindAll("[data-testid=activity-entry]"));
    }

    [Fact]
    public void Prerendering_shows_progress_and_leaves_reading_the_logs_to_the_live_circuit()
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = RenderAt("/activity");

        Assert.NotNull(page.Find("[data-testid=activity-loading]"));
        Assert.Empty(activity.Queries);
    }

    [Fact]
    public void Export_link_carries_the_period_and_the_filters()
    {
        var page = RenderAt($"/environments/{ActivitySamples.EnvironmentId}/activity?range=30d&role=FP-ReadOnly&outcome=Succeeded", ActivitySamples.EnvironmentId);

        page.WaitForAssertion(() => Assert.Single(activity.Queries));
        var href = new Uri("http://portal" + page.Find("[data-testid=activity-export-csv]").GetAttribute("href"));
        Assert.Equal("/api/activity.csv", href.AbsolutePath);
        var parameters = QueryHelpers.ParseQuery(href.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        Assert.Equal(new Dictionary<string, string>
        {
            ["environmentId"] = ActivitySamples.EnvironmentId.ToString(),
            ["from"] = "2026-10-28T10:00:00.0000000Z",
            ["to"] = "2026-11-27T10:00:00.0000000Z",
            ["role"] = "FP-ReadOnly",
            ["outcome"] = "Succeeded",
        }, parameters);
    }

    [Fact]
    public void Long_timelines_show_fifty_entries_and_more_on_request()
    {
        activity.Timeline = new([.. Enumerable.Range(0, 120).Select(i => ActivitySamples.Succeeded(Now.AddMinutes(-i)))], []);

        var page = RenderAt("/activity");

        page.WaitForAssertion(() => Assert.Equal(50, page.FindAll("[data-testid=activity-entry]").Count));
        page.Find("[data-testid=activity-show-more]").Click();
        Assert.Equal(100, page.FindAll("[data-testid=activity-entry]").Count);
    }
}
