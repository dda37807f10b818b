using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Core.Monitoring;

/// <summary>
/// The federated sign-in timeline: Entra's sign-in log of each environment's application and CloudTrail's
/// <c>AssumeRoleWithSAML</c> events of its SAML provider (or roles), joined by <see cref="ActivityCorrelator"/>,
/// filtered, newest first. A source that cannot be read leaves the other's entries and a message in
/// <see cref="ActivityTimeline.SourceErrors"/> that names the missing permission or the fix. Read-only: nothing is audited.
/// </summary>
public sealed class ActivityService(
    IEnvironmentStore environments,
    IResourceInventory inventory,
    IEntraActivityLogs entraLogs,
    IAwsCloudTrail cloudTrail,
    MonitoringOptions options,
    ILogger<ActivityService> logger) : IActivityService
{
    public async Task<ActivityTimeline> GetTimelineAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        if (query.To < query.From)
        {
            throw new ArgumentException("The time range ends before it starts.", nameof(query));
        }

        var scope = await EnvironmentsAsync(query.EnvironmentId, cancellationToken);
        if (scope.Count == 0)
        {
            return new ActivityTimeline([], query.EnvironmentId is null ? [] : ["The environment does not exist."]);
        }

        var entraTask = ReadEntraAsync(scope, query.From - options.CorrelationWindow, query.To, cancellationToken);
        var awsTask = ReadAwsAsync(query.From - options.ClockSkew, query.To + options.CorrelationWindow, cancellationToken);
        await Task.WhenAll(entraTask, awsTask);
        var (signIns, entraErrors) = await entraTask;
        var (awsEvents, awsError) = await awsTask;

        var entries = ActivityCorrelator.Correlate(signIns, awsEvents, scope, options.CorrelationWindow, options.ClockSkew)
            .Where(e => e.Time >= query.From && e.Time <= query.To && Matches(e, query))
            .Take(Math.Max(0, query.MaxEntries))
            .ToList();
        var errors = entraErrors.ToList();
        if (awsError is not null)
        {
            errors.Add(awsError);
        }

        return new ActivityTimeline(entries, errors);
    }

    /// <summary>The environments in scope with their app, provider and roles from the inventory.</summary>
    public async Task<IReadOnlyList<ActivityEnvironment>> EnvironmentsAsync(Guid? environmentId, CancellationToken cancellationToken = default)
    {
        IEnumerable<FederationEnvironment> chosen = environmentId is { } id
            ? await environments.FindAsync(id, cancellationToken) is { } one ? [one] : []
            : (await environments.ListAsync(cancellationToken)).Where(e => e.Status != EnvironmentStatus.Deleted);
        var scope = new List<ActivityEnvironment>();
        foreach (var environment in chosen)
        {
            scope.Add(Describe(environment, await inventory.ListAsync(environment.Id, cancellationToken)));
        }

        return scope;
    }

    internal static ActivityEnvironment Describe(FederationEnvironment environment, IReadOnlyList<ManagedResource> resources)
    {
        var provider = resources.FirstOrDefault(r => r.Type == ResourceTypes.SamlProvider && r.CloudId.Length > 0)?.CloudId
                       ?? FederationNames.ProviderArn(environment, EnvironmentSpec.FromJson(environment.DesiredStateJson));
        var roles = resources.Where(r => r.Type == ResourceTypes.Role && r.CloudId.Length > 0).Select(r => r.CloudId).ToList();
        return new ActivityEnvironment(environment.Id, environment.Name, AppAttributes.Of(resources)?.AppId, provider, roles);
    }

    private static bool Matches(ActivityEntry entry, ActivityQuery query)
        => (string.IsNullOrWhiteSpace(query.User) || entry.User.Contains(query.User.Trim(), StringComparison.OrdinalIgnoreCase))
           && (string.IsNullOrWhiteSpace(query.Role)
               || string.Equals(entry.RoleName, query.Role.Trim(), StringComparison.OrdinalIgnoreCase)
               || string.Equals(entry.RoleArn, query.Role.Trim(), StringComparison.OrdinalIgnoreCase))
           && query.Outcome switch
           {
               ActivityOutcomeFilter.Succeeded => entry.Outcome == ActivityOutcome.Succeeded,
               ActivityOutcomeFilter.Failed => entry.Failed,
               _ => true,
           };

    private async Task<(IReadOnlyList<EntraSignIn> SignIns, IReadOnlyList<string> Errors)> ReadEntraAsync(
        IReadOnlyList<ActivityEnvironment> scope, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var signIns = new List<EntraSignIn>();
        var errors = new List<string>();
        foreach (var appId in scope.Select(e => e.AppId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                signIns.AddRange((await entraLogs.ListSignInsAsync(since, appId, options.MaxSourceEvents, cancellationToken)).Where(s => s.CreatedDateTime <= until));
            }
            catch (Exception ex) when (ex is EntraServiceException or InvalidOperationException)
            {
                logger.LogWarning("Could not read Entra sign-ins of app {AppId}: {Error}", appId, ex is EntraServiceException entra ? $"{entra.StatusCode} {entra.Code}" : ex.GetType().Name);
                var message = ex is EntraServiceException graph
                    ? EntraSourceError(graph)
                    : $"Entra sign-in logs could not be read: {ex.Message} Only the AWS side is shown.";
                if (!errors.Contains(message))
                {
                    errors.Add(message);
                }
            }
        }

        return (signIns, errors);
    }

    private async Task<(IReadOnlyList<AwsSamlSignInEvent> Events, string? Error)> ReadAwsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            var records = await cloudTrail.LookupAllEventsAsync(
                new CloudTrailLookupQuery(from, to, "EventName", CloudTrailSamlEvents.EventName), options.MaxSourceEvents, cancellationToken);
            return (records.Select(CloudTrailSamlEvents.Parse).OfType<AwsSamlSignInEvent>().ToList(), null);
        }
        catch (AwsServiceException ex)
        {
            logger.LogWarning("Could not read CloudTrail: {Code} (HTTP {Status})", ex.Code, (int)ex.HttpStatus);
            return ([], AwsSourceError(ex));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Could not reach CloudTrail: {Error}", ex.GetType().Name);
            return ([], $"CloudTrail could not be reached ({ex.Message}): the AWS side of the sign-ins is missing; try again later.");
        }
    }

    internal static string EntraSourceError(EntraServiceException ex) => ex switch
    {
        { Code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant" } =>
            "Entra sign-in logs could not be read: reading them through Graph needs an Entra ID P1 or P2 licence in the tenant. Only the AWS side is shown.",
        { StatusCode: 401 or 403 } =>
            $"Entra sign-in logs could not be read ({ex.Code}): grant the portal's app registration the AuditLog.Read.All application permission (and Directory.Read.All) with admin consent. Only the AWS side is shown.",
        { StatusCode: 429 or >= 500 } =>
            $"Entra sign-in logs are unavailable right now ({ex.Code}, HTTP {ex.StatusCode}): only the AWS side is shown; try again in a minute.",
        _ => $"Entra sign-in logs could not be read: {ex.Message}. Only the AWS side is shown.",
    };

    internal static string AwsSourceError(AwsServiceException ex) => ex.Code switch
    {
        "ThrottlingException" or "Throttling" or "RequestLimitExceeded" =>
            "CloudTrail throttled the lookup (LookupEvents allows 2 calls a second per account and region): only the Entra side is shown; try again in a moment.",
        "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" or "OperationNotPermittedException" =>
            "CloudTrail could not be read: the portal's AWS identity needs the cloudtrail:LookupEvents permission (e.g. the AWSCloudTrail_ReadOnlyAccess managed policy). Only the Entra side is shown.",
        "InvalidClientTokenId" or "SignatureDoesNotMatch" or "UnrecognizedClientException" or "ExpiredToken" or "ExpiredTokenException" =>
            $"CloudTrail refused the portal's AWS credentials ({ex.Code}): check the AWS credentials the portal uses (Portal:Aws). Only the Entra side is shown.",
        _ => $"CloudTrail could not be read ({ex.Code}: {ex.AwsMessage}). Only the Entra side is shown.",
    };
}
