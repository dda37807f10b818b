using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Monitoring;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// <see cref="IAwsCloudTrail"/> over CloudTrail's <c>LookupEvents</c> (JSON 1.1, target
/// <c>com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents</c>), following <c>NextToken</c>.
/// The same adapter reads a real account and the sandbox account.
/// </summary>
internal sealed class AwsCloudTrailConnector(AwsJsonClient client) : IAwsCloudTrail
{
    public const string TargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";

    /// <summary>CloudTrail's page size limit.</summary>
    public const int MaxPageSize = 50;

    public async Task<CloudTrailPage> LookupEventsAsync(CloudTrailLookupQuery query, CancellationToken cancellationToken = default)
    {
        var response = await client.InvokeAsync("LookupEvents", Request(query), cancellationToken);
        var events = response.TryGetProperty("Events", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(ToRecord).ToList()
            : [];
        var next = response.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value ? value : null;
        return new CloudTrailPage(events, next);
    }

    public async Task<IReadOnlyList<CloudTrailEventRecord>> LookupAllEventsAsync(CloudTrailLookupQuery query, int maxEvents, CancellationToken cancellationToken = default)
    {
        var all = new List<CloudTrailEventRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = query.NextToken;
        while (all.Count < maxEvents)
        {
            var page = await LookupEventsAsync(query with { MaxResults = Math.Min(PageSize(query.MaxResults), maxEvents - all.Count), NextToken = next }, cancellationToken);
            all.AddRange(page.Events.Take(maxEvents - all.Count));

            // A token seen before would loop for ever.
            if (page.NextToken is null || !seen.Add(page.NextToken))
            {
                break;
            }

            next = page.NextToken;
        }

        return all;
    }

    private static int PageSize(int requested) => Math.Clamp(requested, 1, MaxPageSize);

    /// <summary>The request as the AWS CLI sends it: dates as epoch seconds, at most one lookup attribute.</summary>
    internal static JsonObject Request(CloudTrailLookupQuery query)
    {
        var request = new JsonObject();
        if (query.AttributeKey is { Length: > 0 } key)
        {
            request["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = key, ["AttributeValue"] = query.AttributeValue ?? "" });
        }

        if (query.StartTime is { } start)
        {
            request["StartTime"] = start.ToUnixTimeSeconds();
        }

        if (query.EndTime is { } end)
        {
            request["EndTime"] = end.ToUnixTimeSeconds();
        }

        request["MaxResults"] = PageSize(query.MaxResults);
        if (query.NextToken is { Length: > 0 } token)
        {
            request["NextToken"] = token;
        }

        return request;
    }

    private static CloudTrailEventRecord ToRecord(JsonElement e) => new(
        String(e, "EventId") ?? "",
        String(e, "EventName") ?? "",
        String(e, "EventSource") ?? "",
        Time(e, "EventTime"),
        String(e, "Username"),
        String(e, "AccessKeyId"),
        String(e, "ReadOnly") is { } readOnly && bool.TryParse(readOnly, out var parsed) ? parsed : null,
        e.TryGetProperty("Resources", out var resources) && resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().Select(r => new CloudTrailResource(String(r, "ResourceType"), String(r, "ResourceName"))).ToList()
            : [],
        String(e, "CloudTrailEvent") ?? "{}");

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>JSON 1.1 timestamps are epoch seconds (possibly fractional); an ISO 8601 string is accepted too.</summary>
    private static DateTimeOffset Time(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return DateTimeOffset.MinValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDouble() * 1000)),
            JsonValueKind.String when DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => DateTimeOffset.MinValue,
        };
    }
}
