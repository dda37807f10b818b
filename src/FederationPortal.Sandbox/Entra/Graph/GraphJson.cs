using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>
/// Graph's wire conventions: <c>@odata.context</c>, collections paged with <c>@odata.nextLink</c>, the OData query
/// options the portal uses (<c>$filter</c> eq/startswith, <c>$select</c>, <c>$top</c>), and the error body
/// <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.
/// </summary>
internal static partial class GraphJson
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;

    /// <summary>HttpContext items: the caller's application permissions, the parsed request body, the response body.</summary>
    public const string RolesKey = "graph.roles";
    public const string RequestBodyKey = "graph.request-body";
    public const string ResponseBodyKey = "graph.response-body";

    /// <summary>Graph's 403 when the token holds none of the application permissions the API accepts.</summary>
    public static void RequireAnyPermission(HttpContext context, params string[] permissions)
    {
        var roles = context.Items[RolesKey] as IReadOnlyList<string> ?? [];
        if (!permissions.Any(p => roles.Contains(p, StringComparer.OrdinalIgnoreCase)))
        {
            throw new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }
    }

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>With fractional seconds, as Graph writes synchronization execution times: two runs in one second stay apart.</summary>
    public static string PreciseDate(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/sandbox/graph/v1.0";

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>Reads a JSON object body; Graph answers malformed JSON with 400 BadRequest.</summary>
    public static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var body = node as JsonObject ?? throw new GraphException(400, "BadRequest", "Write request body must be a JSON object.");
            request.HttpContext.Items[RequestBodyKey] = body;
            return body;
        }
        catch (JsonException)
        {
            throw new GraphException(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }
    }

    public static IResult Entity(HttpContext context, string contextPath, JsonObject entity, int status = 200)
    {
        var selected = Select(context, entity, out var selectList);
        var result = new JsonObject { ["@odata.context"] = $"{BaseUrl(context)}/$metadata#{contextPath}{(selectList is null ? "" : $"({selectList})")}/$entity" };
        foreach (var (key, value) in selected)
        {
            result[key] = value?.DeepClone();
        }

        return Json(context, result, status);
    }

    public static IResult Json(HttpContext context, JsonNode body, int status = 200)
    {
        context.Items[ResponseBodyKey] = body;
        return Text(context, body, status);
    }

    private static IResult Text(HttpContext context, JsonNode body, int status)
        => Results.Text(body.ToJsonString(), "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8", Encoding.UTF8, status);

    /// <summary>A collection: filtered, paged with <c>$top</c>/<c>$skiptoken</c>, projected with <c>$select</c>.</summary>
    public static IResult Collection(HttpContext context, string contextPath, string typeName, IEnumerable<JsonObject> items, bool supportsFilter = true)
    {
        var query = context.Request.Query;
        var filtered = items;
        if (query.TryGetValue("$filter", out var filterValue) && filterValue.ToString() is { Length: > 0 } filter)
        {
            if (!supportsFilter)
            {
                throw new GraphException(400, "Request_UnsupportedQuery", "Filter is not supported on this resource.");
            }

            var predicate = ParseFilter(filter, typeName);
            filtered = filtered.Where(predicate);
        }

        var top = DefaultPageSize;
        if (query.TryGetValue("$top", out var topValue) && topValue.ToString() is { Length: > 0 } topText)
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1 || top > MaxPageSize)
            {
                throw new GraphException(400, "Request_BadRequest", $"Invalid page size specified: '{topText}'. Must be between 1 and {MaxPageSize} inclusive.");
            }
        }

        var skip = 0;
        if (query.TryGetValue("$skiptoken", out var token) && token.ToString() is { Length: > 0 } tokenText)
        {
            try
            {
                skip = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(tokenText.Replace('-', '+').Replace('_', '/') + new string('=', (4 - tokenText.Length % 4) % 4))).Replace("skip:", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new GraphException(400, "Directory_InvalidSkipToken", "The specified page token value has expired or is invalid.");
            }
        }

        var all = filtered.ToList();
        var page = all.Skip(skip).Take(top).ToList();
        string? selectList = null;
        var values = new JsonArray(page.Select(item => (JsonNode?)Select(context, item, out selectList)).ToArray());
        var body = new JsonObject { ["@odata.context"] = $"{BaseUrl(context)}/$metadata#{contextPath}{(selectList is null ? "" : $"({selectList})")}" };
        if (skip + top < all.Count)
        {
            var next = Convert.ToBase64String(Encoding.UTF8.GetBytes($"skip:{skip + top}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var pairs = query.Where(q => q.Key != "$skiptoken").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"$skiptoken={next}");
            body["@odata.nextLink"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}?{string.Join('&', pairs)}";
        }

        body["value"] = values;
        return Json(context, body);
    }

    public static IResult Error(HttpContext context, int status, string code, string message)
    {
        var requestId = context.Items["graph.request-id"] as string ?? Guid.NewGuid().ToString();
        var clientRequestId = context.Request.Headers["client-request-id"].FirstOrDefault() ?? requestId;
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = Date(context.RequestServices.GetService(typeof(TimeProvider)) is TimeProvider time ? time.GetUtcNow() : DateTimeOffset.UtcNow),
                    ["request-id"] = requestId,
                    ["client-request-id"] = clientRequestId,
                },
            },
        };
        return Text(context, body, status);
    }

    private static JsonObject Select(HttpContext context, JsonObject item, out string? selectList)
    {
        selectList = null;
        if (!context.Request.Query.TryGetValue("$select", out var select) || select.ToString() is not { Length: > 0 } text)
        {
            return item;
        }

        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        selectList = string.Join(',', names);
        var projected = new JsonObject();
        foreach (var name in names)
        {
            var match = item.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
            if (match.Key is null)
            {
                throw new GraphException(400, "Request_BadRequest", $"Could not find a property named '{name}' on type 'microsoft.graph.{TypeOf(item)}'.");
            }

            projected[match.Key] = match.Value?.DeepClone();
        }

        return projected;
    }

    private static string TypeOf(JsonObject item) => item["@odata.type"]?.GetValue<string>().Replace("#microsoft.graph.", "", StringComparison.Ordinal) ?? "entity";

    /// <summary>
    /// The subset of OData <c>$filter</c> the portal uses: <c>prop eq 'v'</c>, <c>prop eq true</c>, <c>startswith(prop,'v')</c>,
    /// <c>dateProp ge 2026-11-27T10:00:00Z</c> (and gt, le, lt, eq on unquoted DateTimeOffset literals), <c>prop eq 50105</c>,
    /// <c>collection/any(x:x eq 'v')</c>, <c>collection/any(x:startswith(x,'v'))</c>, joined by <c>and</c> or <c>or</c> (not mixed). Directory string comparisons are case-insensitive.
    /// </summary>
    internal static Func<JsonObject, bool> ParseFilter(string filter, string typeName)
    {
        var hasOr = OrSplit().IsMatch(filter);
        var hasAnd = AndSplit().IsMatch(filter);
        if (hasOr && hasAnd)
        {
            throw new GraphException(400, "Request_UnsupportedQuery", "Unsupported query: mixing 'and' and 'or' is not supported by the sandbox.");
        }

        var clauses = (hasOr ? OrSplit() : AndSplit()).Split(filter.Trim()).Select(c => ParseClause(c.Trim(), typeName)).ToList();
        return hasOr ? item => clauses.Any(c => c(item)) : item => clauses.All(c => c(item));
    }

    private static Func<JsonObject, bool> ParseClause(string clause, string typeName)
    {
        if (StartsWithClause().Match(clause) is { Success: true } starts)
        {
            var property = starts.Groups["prop"].Value;
            var prefix = Unquote(starts.Groups["value"].Value);
            return item => Property(item, property, typeName) is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        }

        if (AnyStartsWithClause().Match(clause) is { Success: true } anyStarts)
        {
            var property = anyStarts.Groups["prop"].Value;
            var prefix = Unquote(anyStarts.Groups["value"].Value);
            return item => Property(item, property, typeName) is JsonArray array && array.Any(e => e is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        }

        if (AnyClause().Match(clause) is { Success: true } any)
        {
            var property = any.Groups["prop"].Value;
            var wanted = Unquote(any.Groups["value"].Value);
            return item => Property(item, property, typeName) is JsonArray array && array.Any(e => e is JsonValue v && v.TryGetValue<string>(out var s) && string.Equals(s, wanted, StringComparison.OrdinalIgnoreCase));
        }

        if (DateComparisonClause().Match(clause) is { Success: true } comparison)
        {
            var property = comparison.Groups["prop"].Value;
            var op = comparison.Groups["op"].Value.ToLowerInvariant();
            // A '+' of an offset arrives as a space when the client did not escape it.
            var literal = comparison.Groups["value"].Value.Replace(' ', '+');
            if (!DateTimeOffset.TryParse(literal, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var bound))
            {
                throw new GraphException(400, "Request_UnsupportedQuery", $"Invalid DateTimeOffset literal '{literal}' in the filter clause '{clause}'.");
            }

            return item => Property(item, property, typeName) is JsonValue v && v.TryGetValue<string>(out var s)
                && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) && op switch
                {
                    "ge" => value >= bound,
                    "gt" => value > bound,
                    "le" => value <= bound,
                    "lt" => value < bound,
                    _ => value == bound,
                };
        }

        if (EqClause().Match(clause) is { Success: true } eq)
        {
            var property = eq.Groups["prop"].Value;
            var literal = eq.Groups["value"].Value;
            if (literal.StartsWith('\''))
            {
                var wanted = Unquote(literal);
                return item => Property(item, property, typeName) is JsonValue v && v.TryGetValue<string>(out var s) && string.Equals(s, wanted, StringComparison.OrdinalIgnoreCase);
            }

            if (literal is "true" or "false")
            {
                var wanted = literal == "true";
                return item => Property(item, property, typeName) is JsonValue v && v.TryGetValue<bool>(out var b) && b == wanted;
            }

            if (literal == "null")
            {
                return item => Property(item, property, typeName) is null;
            }

            if (long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                // The stored value may be an int, a long or parsed JSON: compare its JSON text.
                return item => Property(item, property, typeName) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                    && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n == number;
            }

            if (Guid.TryParse(literal, out var guid))
            {
                return item => Property(item, property, typeName) is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var g) && g == guid;
            }
        }

        throw new GraphException(400, "Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified: '{clause}'.");
    }

    private static JsonNode? Property(JsonObject item, string path, string typeName)
    {
        JsonNode? current = item;
        foreach (var segment in path.Split('/'))
        {
            if (current is not JsonObject obj)
            {
                return null;
            }

            var match = obj.FirstOrDefault(p => string.Equals(p.Key, segment, StringComparison.OrdinalIgnoreCase));
            if (match.Key is null)
            {
                throw new GraphException(400, "Request_BadRequest", $"Could not find a property named '{segment}' on type 'microsoft.graph.{typeName}'.");
            }

            current = match.Value;
        }

        return current;
    }

    private static string Unquote(string literal) => literal.Length >= 2 && literal[0] == '\'' && literal[^1] == '\''
        ? literal[1..^1].Replace("''", "'", StringComparison.Ordinal)
        : throw new GraphException(400, "Request_UnsupportedQuery", $"Expected a quoted string literal, found {literal}.");

    [GeneratedRegex(@"\s+or\s+(?=(?:[^']*'[^']*')*[^']*$)")]
    private static partial Regex OrSplit();

    [GeneratedRegex(@"\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)")]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^startswith\(\s*(?<prop>[A-Za-z0-9_/]+)\s*,\s*(?<value>'(?:[^']|'')*')\s*\)$", RegexOptions.IgnoreCase)]
    private static partial Regex StartsWithClause();

    [GeneratedRegex(@"^(?<prop>[A-Za-z0-9_/]+)/any\(\s*(?<var>\w+)\s*:\s*\k<var>\s+eq\s+(?<value>'(?:[^']|'')*')\s*\)$")]
    private static partial Regex AnyClause();

    [GeneratedRegex(@"^(?<prop>[A-Za-z0-9_/]+)/any\(\s*(?<var>\w+)\s*:\s*startswith\(\s*\k<var>\s*,\s*(?<value>'(?:[^']|'')*')\s*\)\s*\)$", RegexOptions.IgnoreCase)]
    private static partial Regex AnyStartsWithClause();

    [GeneratedRegex(@"^(?<prop>[A-Za-z0-9_/]+)\s+(?<op>eq|ge|gt|le|lt)\s+(?<value>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\- ]\d{2}:\d{2})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex DateComparisonClause();

    [GeneratedRegex(@"^(?<prop>[A-Za-z0-9_/]+)\s+eq\s+(?<value>'(?:[^']|'')*'|true|false|null|[0-9a-fA-F-]{36}|-?\d{1,18})$")]
    private static partial Regex EqClause();
}
