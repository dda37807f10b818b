using System.Text.Json;

namespace FederationPortal.Sandbox.Aws.CloudTrail;

/// <summary>What the sandbox stores per CloudTrail event: the fields <c>LookupEvents</c> filters and returns, and the record.</summary>
internal sealed record StoredCloudTrailEvent(
    string EventId,
    string EventName,
    string EventSource,
    long EventTime,
    string? Username,
    string? AccessKeyId,
    bool ReadOnly,
    IReadOnlyList<StoredCloudTrailResource> Resources,
    string CloudTrailEvent)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

internal sealed record StoredCloudTrailResource(string ResourceType, string ResourceName);
