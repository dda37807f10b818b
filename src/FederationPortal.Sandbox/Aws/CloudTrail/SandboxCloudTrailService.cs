using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Aws.Protocol;
using FederationPortal.Sandbox.Storage;

namespace FederationPortal.Sandbox.Aws.CloudTrail;

/// <summary>
/// The emulated CloudTrail's <c>LookupEvents</c> (JSON 1.1 protocol) over the events <see cref="CloudTrailRecorder"/>
/// stored: at most one lookup attribute, a time range, pages of at most 50 events newest first, and an opaque
/// <c>NextToken</c> bound to the query that produced it.
/// </summary>
internal sealed class SandboxCloudTrailService(SandboxDocumentStore store, TimeProvider timeProvider)
{
    private const int BatchSize = 200;

    private static readonly string[] AttributeKeys = ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"];

    public JsonObject LookupEvents(JsonObject request)
    {
        var (key, value) = LookupAttribute(request["LookupAttributes"]);
        var start = Time(request, "StartTime");
        var end = Time(request, "EndTime");
        if (start is not null && end is not null && start > end)
        {
            throw Error("InvalidTimeRangeException", "Start time must be before the end time.");
        }

        var category = Text(request, "EventCategory");
        if (category is not null && category != "insight")
        {
            throw Error("InvalidEventCategoryException", $"Invalid event category: {category}. Valid values: insight.");
        }

        var maxResults = 50;
        if (request["MaxResults"] is { } max)
        {
            if (max is not JsonValue number || !number.TryGetValue<int>(out maxResults) || maxResults < 1 || maxResults > 50)
            {
                throw Error("InvalidMaxResultsException", "MaxResults must be a number from 1 to 50.");
            }
        }

        var fingerprint = Fingerprint(key, value, start, end, category);
        var after = Text(request, "NextToken") is { } token ? ReadToken(token, fingerprint) : null;
        if (category == "insight")
        {
            // The sandbox produces no Insights events.
            return new JsonObject { ["Events"] = new JsonArray() };
        }

        var oldest = timeProvider.GetUtcNow() - CloudTrailRecorder.Retention;
        var from = start is null || start < oldest ? oldest : start;
        var page = new List<(EventPosition Position, StoredCloudTrailEvent Event)>();
        var more = false;
        var cursor = after;
        while (!more)
        {
            var batch = store.ReadEvents(CloudTrailRecorder.Stream, from, end, cursor, BatchSize);
            foreach (var stored in batch)
            {
                var e = JsonSerializer.Deserialize<StoredCloudTrailEvent>(stored.Json, StoredCloudTrailEvent.Json)!;
                if (!Matches(e, key, value))
                {
                    continue;
                }

                if (page.Count == maxResults)
                {
                    more = true;
                    break;
                }

                page.Add((stored.Position, e));
            }

            if (batch.Count < BatchSize)
            {
                break;
            }

            cursor = batch[^1].Position;
        }

        var response = new JsonObject { ["Events"] = new JsonArray([.. page.Select(p => (JsonNode)ToJson(p.Event))]) };
        if (more)
        {
            response["NextToken"] = WriteToken(page[^1].Position, fingerprint);
        }

        return response;
    }

    private static JsonObject ToJson(StoredCloudTrailEvent e)
    {
        var json = new JsonObject
        {
            ["EventId"] = e.EventId,
            ["EventName"] = e.EventName,
            ["ReadOnly"] = e.ReadOnly ? "true" : "false",
        };
        if (e.AccessKeyId is not null)
        {
            json["AccessKeyId"] = e.AccessKeyId;
        }

        json["EventTime"] = e.EventTime;
        json["EventSource"] = e.EventSource;
        if (e.Username is not null)
        {
            json["Username"] = e.Username;
        }

        json["Resources"] = new JsonArray([.. e.Resources.Select(r => (JsonNode)new JsonObject { ["ResourceType"] = r.ResourceType, ["ResourceName"] = r.ResourceName })]);
        json["CloudTrailEvent"] = e.CloudTrailEvent;
        return json;
    }

    private static bool Matches(StoredCloudTrailEvent e, string? key, string? value) => key switch
    {
        null => true,
        "EventId" => e.EventId == value,
        "EventName" => e.EventName == value,
        "ReadOnly" => string.Equals(e.ReadOnly ? "true" : "false", value, StringComparison.OrdinalIgnoreCase),
        "Username" => e.Username == value,
        "ResourceType" => e.Resources.Any(r => r.ResourceType == value),
        "ResourceName" => e.Resources.Any(r => r.ResourceName == value),
        "EventSource" => e.EventSource == value,
        "AccessKeyId" => e.AccessKeyId == value,
        _ => false,
    };

    private static (string? Key, string? Value) LookupAttribute(JsonNode? attributes)
    {
        if (attributes is null)
        {
            return (null, null);
        }

        if (attributes is not JsonArray list)
        {
            throw Error("SerializationException", "Start of list found where not expected");
        }

        if (list.Count == 0)
        {
            return (null, null);
        }

        if (list.Count > 1)
        {
            throw Error("InvalidLookupAttributesException", "You can only specify one lookup attribute.");
        }

        var key = list[0]?["AttributeKey"] is JsonValue k && k.TryGetValue<string>(out var keyText) ? keyText : null;
        var value = list[0]?["AttributeValue"] is JsonValue v && v.TryGetValue<string>(out var valueText) ? valueText : null;
        if (key is null || !AttributeKeys.Contains(key, StringComparer.Ordinal))
        {
            throw Error("InvalidLookupAttributesException", $"Invalid attribute key: {key ?? "null"}. Valid keys: {string.Join(", ", AttributeKeys)}.");
        }

        if (string.IsNullOrEmpty(value) || value.Length > 2000)
        {
            throw Error("InvalidLookupAttributesException", $"The attribute value for {key} must have a length from 1 to 2000.");
        }

        if (key == "ReadOnly" && value is not ("true" or "false"))
        {
            throw Error("InvalidLookupAttributesException", "The value of the ReadOnly attribute must be true or false.");
        }

        return (key, value);
    }

    /// <summary>A JSON-protocol timestamp: epoch seconds as a number (the AWS CLI and SDKs send them so).</summary>
    private static DateTimeOffset? Time(JsonObject request, string name)
    {
        if (request[name] is not { } node)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<double>(out var seconds) && double.IsFinite(seconds)
            && seconds is >= 0 and <= 253402300799)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        }

        throw Error("InvalidTimeRangeException", $"The value of {name} is not a valid timestamp.");
    }

    private static string? Text(JsonObject request, string name)
        => request[name] is null ? null
            : request[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text
            : throw Error("SerializationException", $"Expected a string for {name}.");

    private static string Fingerprint(string? key, string? value, DateTimeOffset? start, DateTimeOffset? end, string? category)
        => System.Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\n{value}\n{start?.ToUnixTimeMilliseconds()}\n{end?.ToUnixTimeMilliseconds()}\n{category}")))[..16];

    private static string WriteToken(EventPosition position, string fingerprint)
        => System.Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{position.Time}:{position.Seq}:{fingerprint}")));

    private static EventPosition ReadToken(string token, string fingerprint)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(System.Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 3 && parts[2] == fingerprint
                && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                return new EventPosition(time, seq);
            }
        }
        catch (FormatException)
        {
            // Not base64: the same answer as any other foreign token.
        }

        throw Error("InvalidNextTokenException", "Invalid NextToken. The token was not issued for these lookup parameters.");
    }

    private static AwsQueryError Error(string code, string message) => new(code, message, HttpStatusCode.BadRequest);
}
