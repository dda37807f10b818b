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
                await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 16 * 1024);
                await writer.WriteLineAsync(string.Join(',', Header));
                foreach (var entry in timeline.Entries)
                {
                    await writer.WriteLineAsync(ToCsvLine(entry));
                }
            },
            "text/csv; charset=utf-8",
            $"activity-{scope}-{end.UtcDateTime:yyyyMMdd-HHmmss}.csv");
    }

    internal static readonly string[] Header =
    [
        "time_utc", "user", "environment_id", "environment", "role_arn", "role", "outcome",
        "entra_time_utc", "entra_app", "entra_error_code", "entra_failure_reason", "entra_correlation_id",
        "aws_time_utc", "aws_event_id", "aws_assumed_role_arn", "aws_error_code", "aws_error_message",
        "failure_code", "explanation", "fix",
    ];

    /// <summary>One entry as a CSV line, every cell escaped like the audit export (quoting, and no cell a spreadsheet runs as a formula).</summary>
    internal static string ToCsvLine(ActivityEntry e) => string.Join(',', new[]
    {
        Time(e.Time),
        e.User,
        e.EnvironmentId?.ToString() ?? string.Empty,
        e.EnvironmentName ?? string.Empty,
        e.RoleArn ?? string.Empty,
        e.RoleName ?? string.Empty,
        e.Outcome.ToString(),
        e.EntraSignIn is { } signIn ? Time(signIn.CreatedDateTime) : string.Empty,
        e.EntraSignIn?.AppDisplayName ?? e.EntraSignIn?.AppId ?? string.Empty,
        e.EntraSignIn?.ErrorCode.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        e.EntraSignIn?.FailureReason ?? string.Empty,
        e.EntraSignIn?.CorrelationId ?? string.Empty,
        e.AwsEvent is { } aws ? Time(aws.EventTime) : string.Empty,
        e.AwsEvent?.EventId ?? string.Empty,
        e.AwsEvent?.AssumedRoleArn ?? string.Empty,
        e.AwsEvent?.ErrorCode ?? string.Empty,
        e.AwsEvent?.ErrorMessage ?? string.Empty,
        e.FailureCode ?? string.Empty,
        e.Explanation ?? string.Empty,
        e.Fix ?? string.Empty,
    }.Select(AuditEndpoints.Escape));

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
