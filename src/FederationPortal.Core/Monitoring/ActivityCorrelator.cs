namespace FederationPortal.Core.Monitoring;

/// <summary>
/// What the timeline knows of one environment: its enterprise application (the Entra side) and its SAML provider and
/// roles (the AWS side).
/// </summary>
public sealed record ActivityEnvironment(Guid Id, string Name, string? AppId, string? ProviderArn, IReadOnlyCollection<string> RoleArns)
{
    public bool OwnsProvider(AwsSamlSignInEvent awsEvent)
        => ProviderArn is not null && string.Equals(awsEvent.PrincipalArn, ProviderArn, StringComparison.OrdinalIgnoreCase);

    public bool OwnsRole(AwsSamlSignInEvent awsEvent)
        => awsEvent.RoleArn is { } role && RoleArns.Contains(role, StringComparer.OrdinalIgnoreCase);

    public bool OwnsApp(EntraSignIn signIn) => AppId is not null && string.Equals(signIn.AppId, AppId, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Joins Entra sign-ins with CloudTrail's <c>AssumeRoleWithSAML</c> events. A successful Entra sign-in followed within
/// the window by an AWS event of the same user (Entra's UPN equals AWS's NameID, ignoring case) in the same environment
/// becomes one entry: <see cref="ActivityOutcome.Succeeded"/> or <see cref="ActivityOutcome.FailedAtAws"/>. Each AWS
/// event joins at most one sign-in, the nearest earlier one not taken yet (events are taken oldest first, so two
/// sign-ins of one user a minute apart each get their own session). A refused Entra sign-in stands alone
/// (<see cref="ActivityOutcome.FailedAtEntra"/>); the rest are <see cref="ActivityOutcome.EntraOnly"/> and
/// <see cref="ActivityOutcome.AwsOnly"/>. Events of no known environment (another federation's provider) are dropped.
/// </summary>
public static class ActivityCorrelator
{
    public static IReadOnlyList<ActivityEntry> Correlate(
        IEnumerable<EntraSignIn> signIns,
        IEnumerable<AwsSamlSignInEvent> awsEvents,
        IReadOnlyList<ActivityEnvironment> environments,
        TimeSpan window,
        TimeSpan clockSkew)
    {
        var entra = signIns
            .Select(s => (SignIn: s, Environment: environments.FirstOrDefault(e => e.OwnsApp(s))))
            .Where(s => s.Environment is not null)
            .OrderBy(s => s.SignIn.CreatedDateTime)
            .ToList();
        var aws = awsEvents
            .Select(a => (Event: a, Environment: environments.FirstOrDefault(e => e.OwnsProvider(a)) ?? environments.FirstOrDefault(e => e.OwnsRole(a))))
            .Where(a => a.Environment is not null)
            .OrderBy(a => a.Event.EventTime)
            .ToList();

        var taken = new bool[entra.Count];
        var entries = new List<ActivityEntry>(entra.Count + aws.Count);
        foreach (var (awsEvent, environment) in aws)
        {
            var best = -1;
            var ahead = -1;
            for (var i = 0; i < entra.Count; i++)
            {
                var (signIn, signInEnvironment) = entra[i];
                var delay = awsEvent.EventTime - signIn.CreatedDateTime;
                if (taken[i] || !signIn.Succeeded || signInEnvironment!.Id != environment!.Id || delay < -clockSkew || delay > window
                    || !string.Equals(signIn.UserPrincipalName, awsEvent.User, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                // Sign-ins are in time order: the last one before the event is the nearest earlier; one stamped
                // slightly after it (clock skew) is taken only when none came before.
                if (delay >= TimeSpan.Zero)
                {
                    best = i;
                }
                else if (ahead < 0)
                {
                    ahead = i;
                }
            }

            best = best >= 0 ? best : ahead;
            if (best >= 0)
            {
                taken[best] = true;
                entries.Add(Joined(entra[best].SignIn, awsEvent, environment!));
            }
            else
            {
                entries.Add(AwsAlone(awsEvent, environment!));
            }
        }

        for (var i = 0; i < entra.Count; i++)
        {
            if (!taken[i])
            {
                entries.Add(EntraAlone(entra[i].SignIn, entra[i].Environment!));
            }
        }

        return entries.OrderByDescending(e => e.Time).ThenBy(e => e.User, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static ActivityEntry Joined(EntraSignIn signIn, AwsSamlSignInEvent awsEvent, ActivityEnvironment environment)
    {
        var failure = awsEvent.Succeeded ? null : SignInFailureCatalogue.ForAws(awsEvent.ErrorCode!, awsEvent.ErrorMessage);
        return new ActivityEntry(signIn.CreatedDateTime, signIn.UserPrincipalName, environment.Id, environment.Name,
            awsEvent.RoleArn, CloudTrailSamlEvents.RoleName(awsEvent.RoleArn),
            awsEvent.Succeeded ? ActivityOutcome.Succeeded : ActivityOutcome.FailedAtAws,
            signIn, awsEvent, failure?.Code, failure?.Explanation, failure?.Fix);
    }

    private static ActivityEntry AwsAlone(AwsSamlSignInEvent awsEvent, ActivityEnvironment environment)
    {
        var failure = awsEvent.Succeeded ? null : SignInFailureCatalogue.ForAws(awsEvent.ErrorCode!, awsEvent.ErrorMessage);
        return new ActivityEntry(awsEvent.EventTime, awsEvent.User ?? "", environment.Id, environment.Name,
            awsEvent.RoleArn, CloudTrailSamlEvents.RoleName(awsEvent.RoleArn), ActivityOutcome.AwsOnly,
            null, awsEvent, failure?.Code, failure?.Explanation, failure?.Fix);
    }

    private static ActivityEntry EntraAlone(EntraSignIn signIn, ActivityEnvironment environment)
    {
        var failure = signIn.Succeeded ? null : SignInFailureCatalogue.ForEntra(signIn.ErrorCode, signIn.FailureReason);
        return new ActivityEntry(signIn.CreatedDateTime, signIn.UserPrincipalName, environment.Id, environment.Name, null, null,
            signIn.Succeeded ? ActivityOutcome.EntraOnly : ActivityOutcome.FailedAtEntra,
            signIn, null, failure?.Code, failure?.Explanation, failure?.Fix);
    }
}
