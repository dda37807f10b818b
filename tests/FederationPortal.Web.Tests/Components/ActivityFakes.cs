using System.Collections.Concurrent;
using FederationPortal.Core.Monitoring;

namespace FederationPortal.Web.Tests.Components;

/// <summary>Test double of the activity timeline: records every query, answers with a set timeline, a failure, or a pending task.</summary>
public sealed class FakeActivityService : IActivityService
{
    public ConcurrentQueue<ActivityQuery> Queries { get; } = new();

    public ActivityTimeline Timeline { get; set; } = new([], []);

    /// <summary>When set, every call fails with it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, calls wait for it (to see the page while it loads).</summary>
    public TaskCompletionSource<ActivityTimeline>? Pending { get; set; }

    public ActivityQuery LastQuery => Queries.Last();

    public async Task<ActivityTimeline> GetTimelineAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        Queries.Enqueue(query);
        if (Failure is not null)
        {
            throw Failure;
        }

        return Pending is { } pending ? await pending.Task.WaitAsync(cancellationToken) : Timeline;
    }
}

/// <summary>Test double of the alert service: a set list of alerts, or a failure.</summary>
public sealed class FakeAlertService : IAlertService
{
    public IReadOnlyList<PortalAlert> Alerts { get; set; } = [];

    public Exception? Failure { get; set; }

    public Task<IReadOnlyList<PortalAlert>> GetAlertsAsync(CancellationToken cancellationToken = default)
        => Failure is null ? Task.FromResult(Alerts) : Task.FromException<IReadOnlyList<PortalAlert>>(Failure);
}

/// <summary>Timeline entries as the sandbox produces them: Diego's successful sign-in, an AWS refusal, an Entra refusal.</summary>
public static class ActivitySamples
{
    public static readonly Guid EnvironmentId = Guid.Parse("0195f3a0-0000-7000-8000-0000000000a1");
    public const string RoleArn = "arn:aws:iam::111122223333:role/FP-ReadOnly";

    public static ActivityEntry Succeeded(DateTimeOffset time, string user = "diego.siciliani@contoso.example", string role = "FP-ReadOnly") => new(
        time, user, EnvironmentId, "Contoso sandbox", $"arn:aws:iam::111122223333:role/{role}", role, ActivityOutcome.Succeeded,
        EntraSignIn(time, user, 0, null),
        new AwsSamlSignInEvent("evt-ok", time.AddSeconds(2), user, $"arn:aws:iam::111122223333:role/{role}", "arn:aws:iam::111122223333:saml-provider/EntraID-Contoso",
            $"arn:aws:sts::111122223333:assumed-role/{role}/{user}", null, null, "203.0.113.7", "req-ok"),
        null, null, null);

    public static ActivityEntry FailedAtAws(DateTimeOffset time) => new(
        time, "diego.siciliani@contoso.example", EnvironmentId, "Contoso sandbox", RoleArn, "FP-ReadOnly", ActivityOutcome.FailedAtAws,
        EntraSignIn(time, "diego.siciliani@contoso.example", 0, null),
        new AwsSamlSignInEvent("evt-denied", time.AddSeconds(1), "diego.siciliani@contoso.example", RoleArn, null, null,
            "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", "203.0.113.7", "req-denied"),
        "AccessDenied",
        "Entra ID signed Diego in, but the role's trust policy does not allow this SAML provider to assume it.",
        "Restore the role's trust policy so that it trusts the SAML provider (the Doctor can do it).");

    public static ActivityEntry FailedAtEntra(DateTimeOffset time) => new(
        time, "alex.wilber@contoso.example", EnvironmentId, "Contoso sandbox", null, null, ActivityOutcome.FailedAtEntra,
        EntraSignIn(time, "alex.wilber@contoso.example", 50105, "The signed in user is not assigned to a role for the application."),
        null,
        "AADSTS50105",
        "The user is not assigned to the enterprise application, so Entra ID issued no SAML response.",
        "Assign the user (or a group they belong to) to an AWS role in the User assignment stage.");

    private static EntraSignIn EntraSignIn(DateTimeOffset time, string user, int errorCode, string? reason) => new(
        $"si-{user}-{time.ToUnixTimeSeconds()}", time, user, null, null, "4a5b6c7d-0000-4000-8000-000000000001", "AWS Single-Account Access",
        "203.0.113.7", errorCode, reason, "corr-1");
}
