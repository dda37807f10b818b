namespace FederationPortal.Core.Monitoring;

/// <summary>
/// AWS CloudTrail's event history as the portal reads it (<c>LookupEvents</c>, JSON 1.1 protocol, SigV4 service
/// <c>cloudtrail</c>). The same connector serves a real account and the sandbox account. Failures surface as
/// <see cref="FederationPortal.Core.Aws.AwsServiceException"/> carrying CloudTrail's error code.
/// </summary>
public interface IAwsCloudTrail
{
    /// <summary>One page of events, newest first, as CloudTrail returns it.</summary>
    Task<CloudTrailPage> LookupEventsAsync(CloudTrailLookupQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every event matching the query, following <c>NextToken</c>, stopping after <paramref name="maxEvents"/>.</summary>
    Task<IReadOnlyList<CloudTrailEventRecord>> LookupAllEventsAsync(CloudTrailLookupQuery query, int maxEvents, CancellationToken cancellationToken = default);
}

/// <summary>
/// A <c>LookupEvents</c> request. CloudTrail accepts at most one lookup attribute
/// (<c>EventName</c>, <c>Username</c>, <c>ResourceName</c>, <c>EventSource</c>, <c>EventId</c>, <c>ReadOnly</c>,
/// <c>ResourceType</c>, <c>AccessKeyId</c>) and at most 50 results a page.
/// </summary>
public sealed record CloudTrailLookupQuery(
    DateTimeOffset? StartTime = null,
    DateTimeOffset? EndTime = null,
    string? AttributeKey = null,
    string? AttributeValue = null,
    int MaxResults = 50,
    string? NextToken = null);

public sealed record CloudTrailPage(IReadOnlyList<CloudTrailEventRecord> Events, string? NextToken);

public sealed record CloudTrailResource(string? ResourceType, string? ResourceName);

/// <summary>
/// One event of the history: the summary fields <c>LookupEvents</c> returns, and the full record
/// (<c>CloudTrailEvent</c>, a JSON string with userIdentity, requestParameters, responseElements, errorCode …).
/// </summary>
public sealed record CloudTrailEventRecord(
    string EventId,
    string EventName,
    string EventSource,
    DateTimeOffset EventTime,
    string? Username,
    string? AccessKeyId,
    bool? ReadOnly,
    IReadOnlyList<CloudTrailResource> Resources,
    string CloudTrailEventJson);
