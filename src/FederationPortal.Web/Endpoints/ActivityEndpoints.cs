using System.Globalization;
using System.Text;
using FederationPortal.Core.Monitoring;
using FederationPortal.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace FederationPortal.Web.Endpoints;

/// <summary>The sign-in activity timeline over HTTP: the CSV export the Activity page links to. Reading it changes nothing, so readers may.</summary>
public static class ActivityEndpoints
{
    /// <summary>The most entries one export holds (the page asks for the query's default, 1,000).</summary>
    internal const int ExportLimit = 10_000;

    public static void MapActivityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/activity.csv", ExportCsvAsync)
            .RequireAuthorization(PortalPolicies.CanRead)
            .AddEndpointFilter<PortalExceptionFilter>()
            .WithTags("Activity")
            .WithName("ExportActivityCsv")
            .WithSummary("Federated sign-ins (Entra sign-ins joined with CloudTrail AssumeRoleWithSAML events) as CSV; the last 7 days unless from/to say otherwise.");
    }

    private static async Task<IResult> ExportCsvAsync(
        HttpContext context,
        [FromServices] IActivityService activity,
        [FromServices] TimeProvider clock,
        [FromQuery] Guid? environmentId,
        [FromQuery] DateTimeOffset? from,
        [FromQuery] DateTimeOffset? to,
        [FromQuery] string? user,
        [FromQuery] string? role,
        [FromQuery] ActivityOutcomeFilter? outcome)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-7);
        if (start > end)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["'from' must not be after 'to'."] });
        }

        var query = new ActivityQuery(environmentId, start, end, NullIfBlank(user), NullIfBlank(role), outcome ?? ActivityOutcomeFilter.All, ExportLimit);
        var timeline = await activity.GetTimelineAsync(query, context.RequestAborted);

        // A source that could not be read leaves the export incomplete: say so where a script can see it.
        if (timeline.SourceErrors.Count > 0)
        {
            context.Response.Headers["X-Activity-Incomplete"] = timeline.SourceErrors.Count.ToString(CultureInfo.InvariantCulture);
        }

        var scope = environmentId is null ? "all" : environmentId.Value.ToString("N")[..8];
        return Results.Stream(
            async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 16 * 1024) { NewLine = "\n" };
                await writer.WriteLineAsync(string.Join(',', ActivityStatistics.CsvHeader));
                foreach (var entry in timeline.Entries)
                {
                    // The columns are Core's (one definition of the activity CSV); the escaping is the audit export's.
                    await writer.WriteLineAsync(string.Join(',', ActivityStatistics.CsvRow(entry).Select(AuditEndpoints.Escape)));
                }
            },
            "text/csv; charset=utf-8",
            $"activity-{scope}-{end.UtcDateTime:yyyyMMdd-HHmmss}.csv");
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
