using System.Globalization;
using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace FederationPortal.Web.Endpoints;

/// <summary>Audit trail over HTTP: the filtered CSV export and the signed digests the audit page links to.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").RequireAuthorization(PortalPolicies.CanRead).WithTags("Audit");
        audit.MapGet("/export.csv", ExportCsvAsync).WithName("ExportAuditCsv");
        audit.MapGet("/digests.json", async (HttpContext context, AuditDigestService digests) =>
            {
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-digests-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json\"";
                return Results.Ok(await digests.ExportAsync(context.RequestAborted));
            })
            .WithName("ExportAuditDigests")
            .WithSummary("The signed digests that anchor the audit trail, with the public key that verifies them.");
    }

    /// <summary>Streams every event matching the filters as CSV, in batches: memory stays flat however large the trail.</summary>
    private static async Task ExportCsvAsync(
        HttpContext context,
        IAuditTrail trail,
        [FromQuery] DateTimeOffset? from,
        [FromQuery] DateTimeOffset? to,
        [FromQuery] string? actorId,
        [FromQuery] string? action,
        [FromQuery] Guid? environmentId,
        [FromQuery] AuditOutcome? outcome,
        [FromQuery] string? search)
    {
        var query = new AuditQuery
        {
            From = from,
            To = to,
            ActorId = actorId,
            Action = action,
            EnvironmentId = environmentId,
            Outcome = outcome,
            Search = search,
            Descending = true,
        };

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024);
        await writer.WriteLineAsync(string.Join(',', Header));
        var rows = 0;
        await foreach (var evt in trail.StreamAsync(query, context.RequestAborted))
        {
            await writer.WriteLineAsync(ToCsvLine(evt));
            if (++rows % 1000 == 0)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }
    }

    internal static readonly string[] Header =
        ["sequence", "timestamp_utc", "actor_id", "actor", "action", "outcome", "environment_id", "target_type", "target_id", "error", "correlation_id", "details", "hash"];

    internal static string ToCsvLine(AuditEvent e) => string.Join(',', new[]
    {
        e.Sequence.ToString(CultureInfo.InvariantCulture),
        e.TimestampUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        e.ActorId,
        e.ActorName,
        e.Action,
        e.Outcome.ToString(),
        e.EnvironmentId?.ToString() ?? string.Empty,
        e.TargetType ?? string.Empty,
        e.TargetId ?? string.Empty,
        e.ErrorMessage ?? string.Empty,
        e.CorrelationId ?? string.Empty,
        e.DetailsJson,
        e.Hash,
    }.Select(Escape));

    /// <summary>RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula.</summary>
    internal static string Escape(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
