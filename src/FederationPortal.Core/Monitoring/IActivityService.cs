namespace FederationPortal.Core.Monitoring;

/// <summary>
/// One timeline of federated sign-ins from both clouds: Entra's sign-in log joined with CloudTrail's
/// <c>AssumeRoleWithSAML</c> events, correlated by user and time, failures explained with their fix.
/// </summary>
public interface IActivityService
{
    Task<ActivityTimeline> GetTimelineAsync(ActivityQuery query, CancellationToken cancellationToken = default);
}

public enum ActivityOutcomeFilter
{
    All,
    Succeeded,
    Failed,
}

/// <summary>What the Activity page asks for. <see cref="EnvironmentId"/> null means across all environments.</summary>
public sealed record ActivityQuery(
    Guid? EnvironmentId,
    DateTimeOffset From,
    DateTimeOffset To,
    string? User = null,
    string? Role = null,
    ActivityOutcomeFilter Outcome = ActivityOutcomeFilter.All,
    int MaxEntries = 1000);

public enum ActivityOutcome
{
    /// <summary>Entra issued the SAML response and AWS issued the session.</summary>
    Succeeded,

    /// <summary>Entra refused the sign-in (an AADSTS error); AWS never saw it.</summary>
    FailedAtEntra,

    /// <summary>Entra issued the SAML response; AWS refused it (InvalidIdentityToken, AccessDenied …).</summary>
    FailedAtAws,

    /// <summary>Entra signed the user in; no AWS event (yet) follows within the correlation window.</summary>
    EntraOnly,

    /// <summary>An AWS AssumeRoleWithSAML event without a matching Entra sign-in (e.g. a replayed or externally sourced response).</summary>
    AwsOnly,
}

/// <summary>The AWS half of a sign-in: one <c>AssumeRoleWithSAML</c> event from CloudTrail.</summary>
public sealed record AwsSamlSignInEvent(
    string EventId,
    DateTimeOffset EventTime,
    string? User,
    string? RoleArn,
    string? PrincipalArn,
    string? AssumedRoleArn,
    string? ErrorCode,
    string? ErrorMessage,
    string? SourceIpAddress,
    string? RequestId)
{
    public bool Succeeded => ErrorCode is null;
}

/// <summary>One line of the timeline: an Entra sign-in, its AWS session (or failure), or either alone.</summary>
public sealed record ActivityEntry(
    DateTimeOffset Time,
    string User,
    Guid? EnvironmentId,
    string? EnvironmentName,
    string? RoleArn,
    string? RoleName,
    ActivityOutcome Outcome,
    EntraSignIn? EntraSignIn,
    AwsSamlSignInEvent? AwsEvent,
    string? FailureCode,
    string? Explanation,
    string? Fix)
{
    /// <summary>True when either cloud refused the sign-in (including an AWS refusal with no Entra sign-in found).</summary>
    public bool Failed => Outcome is ActivityOutcome.FailedAtEntra or ActivityOutcome.FailedAtAws
                          || (Outcome == ActivityOutcome.AwsOnly && AwsEvent is { Succeeded: false });
}

/// <summary>The timeline, and the sources that could not be read (the page shows them instead of failing).</summary>
public sealed record ActivityTimeline(IReadOnlyList<ActivityEntry> Entries, IReadOnlyList<string> SourceErrors);
