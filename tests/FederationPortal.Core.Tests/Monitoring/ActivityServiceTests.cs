using System.Net;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Monitoring;

namespace FederationPortal.Core.Tests.Monitoring;

/// <summary>The timeline: Entra sign-ins joined with CloudTrail's AssumeRoleWithSAML events by user and time.</summary>
public sealed class ActivityServiceTests
{
    private static readonly DateTimeOffset Now = MonitoringWorld.Now;
    private readonly MonitoringWorld world = new();

    private async Task<ActivityTimeline> TimelineAsync(Guid? environmentId = null, string? user = null, string? role = null,
        ActivityOutcomeFilter outcome = ActivityOutcomeFilter.All, DateTimeOffset? from = null, MonitoringOptions? options = null, int maxEntries = 1000)
    {
        await world.SeedAsync();
        return await world.Activity(options).GetTimelineAsync(
            new ActivityQuery(environmentId, from ?? Now.AddDays(-1), Now, user, role, outcome, maxEntries), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Successful_sign_in_joins_its_AWS_session()
    {
        var signIn = world.SignIn(world.Production, "alice@contoso.com", Now.AddMinutes(-30));
        var session = world.AssumeRole(world.Production, "ALICE@contoso.com", "Prod-Admin", Now.AddMinutes(-30).AddSeconds(4));

        var timeline = await TimelineAsync(world.Production.Id);

        var entry = Assert.Single(timeline.Entries);
        Assert.Equal(ActivityOutcome.Succeeded, entry.Outcome);
        Assert.Same(signIn, entry.EntraSignIn);
        Assert.Equal(session.EventId, entry.AwsEvent!.EventId);
        Assert.Equal(MonitoringWorld.RoleArn("Prod-Admin"), entry.RoleArn);
        Assert.Equal("Prod-Admin", entry.RoleName);
        Assert.Equal(signIn.CreatedDateTime, entry.Time);
        Assert.Equal("Production", entry.EnvironmentName);
        Assert.Equal($"arn:aws:sts::{MonitoringWorld.Account}:assumed-role/Prod-Admin/ALICE@contoso.com", entry.AwsEvent.AssumedRoleArn);
        Assert.Null(entry.FailureCode);
        Assert.False(entry.Failed);
        Assert.Empty(timeline.SourceErrors);
    }

    [Fact]
    public async Task Entra_failure_stands_alone_with_its_explanation()
    {
        world.SignIn(world.Production, "bob@contoso.com", Now.AddMinutes(-20), 50105, "The signed in user is not assigned to a role for the application.");
        world.AssumeRole(world.Production, "bob@contoso.com", "Prod-Admin", Now.AddMinutes(-19));

        var timeline = await TimelineAsync(world.Production.Id);

        var failure = Assert.Single(timeline.Entries, e => e.Outcome == ActivityOutcome.FailedAtEntra);
        Assert.Null(failure.AwsEvent);
        Assert.Equal("AADSTS50105", failure.FailureCode);
        Assert.Contains("not assigned", failure.Explanation);
        Assert.Contains("User assignment stage", failure.Fix);
        Assert.True(failure.Failed);

        // A refused Entra sign-in issues no SAML response, so the AWS event is not its continuation.
        Assert.Single(timeline.Entries, e => e.Outcome == ActivityOutcome.AwsOnly);
    }

    [Fact]
    public async Task Entra_success_then_AWS_refusal_is_failed_at_AWS_with_the_fix()
    {
        world.SignIn(world.Production, "carol@contoso.com", Now.AddMinutes(-10));
        world.AssumeRole(world.Production, "carol@contoso.com", "Prod-ReadOnly", Now.AddMinutes(-10).AddSeconds(3), "InvalidIdentityToken", "Response signature invalid");

        var entry = Assert.Single((await TimelineAsync(world.Production.Id)).Entries);

        Assert.Equal(ActivityOutcome.FailedAtAws, entry.Outcome);
        Assert.Equal("InvalidIdentityToken", entry.FailureCode);
        Assert.Contains("certificate", entry.Explanation);
        Assert.Contains("Certificates page", entry.Fix);
        Assert.NotNull(entry.EntraSignIn);
        Assert.Null(entry.AwsEvent!.AssumedRoleArn);
        Assert.True(entry.Failed);
    }

    [Fact]
    public async Task Two_sign_ins_of_one_user_close_together_each_join_their_own_AWS_event()
    {
        var first = world.SignIn(world.Production, "dave@contoso.com", Now.AddMinutes(-40));
        var second = world.SignIn(world.Production, "dave@contoso.com", Now.AddMinutes(-39));
        var firstSession = world.AssumeRole(world.Production, "dave@contoso.com", "Prod-Admin", Now.AddMinutes(-40).AddSeconds(5));
        var secondSession = world.AssumeRole(world.Production, "dave@contoso.com", "Prod-ReadOnly", Now.AddMinutes(-39).AddSeconds(5));

        var entries = (await TimelineAsync(world.Production.Id)).Entries;

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(ActivityOutcome.Succeeded, e.Outcome));
        Assert.Equal(firstSession.EventId, entries.Single(e => e.EntraSignIn == first).AwsEvent!.EventId);
        Assert.Equal(secondSession.EventId, entries.Single(e => e.EntraSignIn == second).AwsEvent!.EventId);
        Assert.Equal(second.CreatedDateTime, entries[0].Time); // newest first
    }

    [Fact]
    public async Task Each_AWS_event_joins_at_most_one_sign_in_and_the_nearest_earlier_one()
    {
        var early = world.SignIn(world.Production, "erin@contoso.com", Now.AddMinutes(-50));
        var late = world.SignIn(world.Production, "erin@contoso.com", Now.AddMinutes(-48));
        var session = world.AssumeRole(world.Production, "erin@contoso.com", "Prod-Admin", Now.AddMinutes(-47));

        var entries = (await TimelineAsync(world.Production.Id)).Entries;

        Assert.Equal(session.EventId, Assert.Single(entries, e => e.Outcome == ActivityOutcome.Succeeded).AwsEvent!.EventId);
        Assert.Same(late, entries.Single(e => e.Outcome == ActivityOutcome.Succeeded).EntraSignIn);
        Assert.Same(early, Assert.Single(entries, e => e.Outcome == ActivityOutcome.EntraOnly).EntraSignIn);
    }

    [Fact]
    public async Task Events_outside_the_correlation_window_stay_apart()
    {
        world.SignIn(world.Production, "frank@contoso.com", Now.AddMinutes(-30));
        world.AssumeRole(world.Production, "frank@contoso.com", "Prod-Admin", Now.AddMinutes(-30).AddMinutes(6));

        var entries = (await TimelineAsync(world.Production.Id)).Entries;

        Assert.Equal([ActivityOutcome.AwsOnly, ActivityOutcome.EntraOnly], entries.Select(e => e.Outcome));

        // A wider window joins them.
        var joined = await world.Activity(new MonitoringOptions { CorrelationWindow = TimeSpan.FromMinutes(10) })
            .GetTimelineAsync(new ActivityQuery(world.Production.Id, Now.AddDays(-1), Now), TestContext.Current.CancellationToken);
        Assert.Equal(ActivityOutcome.Succeeded, Assert.Single(joined.Entries).Outcome);
    }

    [Fact]
    public async Task An_AWS_event_before_the_sign_in_does_not_join_it()
    {
        world.AssumeRole(world.Production, "gina@contoso.com", "Prod-Admin", Now.AddMinutes(-31));
        world.SignIn(world.Production, "gina@contoso.com", Now.AddMinutes(-30));

        var entries = (await TimelineAsync(world.Production.Id)).Entries;

        Assert.DoesNotContain(entries, e => e.Outcome == ActivityOutcome.Succeeded);
        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public async Task Another_environments_provider_is_filtered_out()
    {
        world.SignIn(world.Production, "hank@contoso.com", Now.AddMinutes(-15));
        world.AssumeRole(world.Production, "hank@contoso.com", "Prod-Admin", Now.AddMinutes(-15).AddSeconds(2));
        world.SignIn(world.Staging, "hank@contoso.com", Now.AddMinutes(-12));
        world.AssumeRole(world.Staging, "hank@contoso.com", "Stage-Admin", Now.AddMinutes(-12).AddSeconds(2));
        world.CloudTrail.Records.Add(MonitoringWorld.AssumeRoleWithSamlRecord($"arn:aws:iam::{MonitoringWorld.Account}:saml-provider/Okta", "hank@contoso.com",
            MonitoringWorld.RoleArn("OktaAdmin"), Now.AddMinutes(-14)));

        var production = await TimelineAsync(world.Production.Id);
        var entry = Assert.Single(production.Entries);
        Assert.Equal("Prod-Admin", entry.RoleName);
        Assert.Equal(ActivityOutcome.Succeeded, entry.Outcome);
        var call = Assert.Single(world.Entra.Calls);
        Assert.Equal(Now.AddDays(-1) - new MonitoringOptions().CorrelationWindow, call.Since);
        Assert.Equal(MonitoringWorld.AppId(world.Production), call.AppId);

        var all = await world.Activity().GetTimelineAsync(new ActivityQuery(null, Now.AddDays(-1), Now), TestContext.Current.CancellationToken);
        Assert.Equal(["Staging", "Production"], all.Entries.Select(e => e.EnvironmentName));
        Assert.All(all.Entries, e => Assert.Equal(ActivityOutcome.Succeeded, e.Outcome));
    }

    [Fact]
    public async Task The_SAML_provider_decides_which_environment_an_event_belongs_to()
    {
        world.AssumeRole(world.Staging, "ivy@contoso.com", "Prod-Admin", Now.AddMinutes(-5), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");

        var entry = Assert.Single((await TimelineAsync()).Entries);

        // The provider decides first: the event belongs to Staging, whose trust the Production role does not grant.
        Assert.Equal("Staging", entry.EnvironmentName);
        Assert.Equal(ActivityOutcome.AwsOnly, entry.Outcome);
        Assert.True(entry.Failed);
        Assert.Contains("trust policy", entry.Explanation);
    }

    [Fact]
    public async Task Filters_by_user_role_outcome_and_time_and_caps_the_entries()
    {
        world.SignIn(world.Production, "jane@contoso.com", Now.AddMinutes(-50));
        world.AssumeRole(world.Production, "jane@contoso.com", "Prod-Admin", Now.AddMinutes(-50).AddSeconds(1));
        world.SignIn(world.Production, "ken@contoso.com", Now.AddMinutes(-40));
        world.AssumeRole(world.Production, "ken@contoso.com", "Prod-ReadOnly", Now.AddMinutes(-40).AddSeconds(1), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");
        world.SignIn(world.Production, "ken@contoso.com", Now.AddMinutes(-30), 50126, "Invalid username or password.");
        world.SignIn(world.Production, "jane@contoso.com", Now.AddHours(-3));
        world.AssumeRole(world.Production, "jane@contoso.com", "Prod-ReadOnly", Now.AddHours(-3).AddSeconds(1));

        Assert.Equal(2, (await TimelineAsync(user: "JANE")).Entries.Count);
        Assert.Equal(["ken@contoso.com"], (await TimelineAsync(role: "Prod-ReadOnly", outcome: ActivityOutcomeFilter.Failed)).Entries.Select(e => e.User));
        Assert.Equal(2, (await TimelineAsync(role: MonitoringWorld.RoleArn("Prod-ReadOnly"))).Entries.Count);
        Assert.Equal([ActivityOutcome.FailedAtEntra, ActivityOutcome.FailedAtAws], (await TimelineAsync(outcome: ActivityOutcomeFilter.Failed)).Entries.Select(e => e.Outcome));
        Assert.Equal(2, (await TimelineAsync(outcome: ActivityOutcomeFilter.Succeeded)).Entries.Count);
        Assert.Equal(3, (await TimelineAsync(from: Now.AddHours(-1))).Entries.Count);
        Assert.Equal([Now.AddMinutes(-30), Now.AddMinutes(-40)], (await TimelineAsync(maxEntries: 2)).Entries.Select(e => e.Time));
    }

    [Fact]
    public async Task Entra_permission_error_leaves_the_AWS_side_and_names_the_permission()
    {
        world.AssumeRole(world.Production, "lee@contoso.com", "Prod-Admin", Now.AddMinutes(-5));
        world.Entra.Failure = new EntraServiceException("Authorization_RequestDenied", 403, "Insufficient privileges to complete the operation.");

        var timeline = await TimelineAsync(world.Production.Id);

        Assert.Equal(ActivityOutcome.AwsOnly, Assert.Single(timeline.Entries).Outcome);
        Assert.Contains("AuditLog.Read.All", Assert.Single(timeline.SourceErrors));
    }

    [Fact]
    public async Task A_misconfigured_Entra_connection_is_reported_not_thrown()
    {
        world.Entra.Failure = new InvalidOperationException("Portal:Entra needs either ClientSecret or CertificatePath for Live mode.");

        var timeline = await TimelineAsync();

        Assert.Contains("Portal:Entra needs either ClientSecret", Assert.Single(timeline.SourceErrors));
    }

    [Fact]
    public async Task CloudTrail_throttling_leaves_the_Entra_side_and_says_so()
    {
        world.SignIn(world.Production, "mia@contoso.com", Now.AddMinutes(-5));
        world.CloudTrail.Failure = new AwsServiceException("ThrottlingException", "Rate exceeded", HttpStatusCode.BadRequest);

        var timeline = await TimelineAsync(world.Production.Id);

        Assert.Equal(ActivityOutcome.EntraOnly, Assert.Single(timeline.Entries).Outcome);
        Assert.Contains("throttled", Assert.Single(timeline.SourceErrors));
    }

    [Fact]
    public async Task CloudTrail_access_denied_names_the_lookup_permission()
    {
        world.CloudTrail.Failure = new AwsServiceException("AccessDeniedException", "User is not authorized to perform: cloudtrail:LookupEvents", HttpStatusCode.BadRequest);

        Assert.Contains("cloudtrail:LookupEvents", Assert.Single((await TimelineAsync()).SourceErrors));
    }

    [Fact]
    public async Task An_environment_without_an_app_yet_reads_no_sign_ins()
    {
        await world.SeedAsync();
        await world.Inventory.RemoveAsync(world.Staging.Id, Core.Federation.ResourceTypes.Application, Core.Federation.ResourceTypes.SingletonKey, TestContext.Current.CancellationToken);

        var timeline = await world.Activity().GetTimelineAsync(new ActivityQuery(world.Staging.Id, Now.AddDays(-1), Now), TestContext.Current.CancellationToken);

        Assert.Empty(timeline.Entries);
        Assert.Empty(world.Entra.Calls);
    }
}
