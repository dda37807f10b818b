using System.Globalization;
using System.Text;
using FederationPortal.Core.Review;

namespace FederationPortal.Core.Monitoring;

/// <summary>Sign-ins of one role on one (UTC) day, for the Activity page's chart.</summary>
public sealed record DailyRoleCount(DateOnly Day, string Role, int Succeeded, int Failed)
{
    public int Total => Succeeded + Failed;
}

/// <summary>What the Activity page derives from a timeline (the chart, the CSV export), kept here so the page stays thin.</summary>
public static class ActivityStatistics
{
    /// <summary>The chart's label for sign-ins that reached no AWS role (refused by Entra, or no AWS event).</summary>
    public const string NoRole = "(no AWS role)";

    public static readonly IReadOnlyList<string> CsvHeader =
    [
        "time_utc", "environment", "user", "role_name", "role_arn", "outcome", "failure_code", "explanation", "fix",
        "entra_sign_in_id", "entra_correlation_id", "aws_event_id", "aws_request_id", "source_ip", "assumed_role_arn",
    ];

    /// <summary>Counts per UTC day and role (<see cref="NoRole"/> for entries without one), oldest day first, roles by name.</summary>
    public static IReadOnlyList<DailyRoleCount> SignInsPerDayPerRole(IEnumerable<ActivityEntry> entries)
        => entries
            .GroupBy(e => (Day: DateOnly.FromDateTime(e.Time.UtcDateTime), Role: e.RoleName ?? NoRole))
            .Select(g => new DailyRoleCount(g.Key.Day, g.Key.Role, g.Count(e => e.Outcome == ActivityOutcome.Succeeded), g.Count(e => e.Failed)))
            .OrderBy(c => c.Day)
            .ThenBy(c => c.Role, StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>The cells of one CSV row, in <see cref="CsvHeader"/>'s order (invariant formats, no credentials).</summary>
    public static IReadOnlyList<string> CsvRow(ActivityEntry entry) =>
    [
        entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        entry.EnvironmentName ?? "",
        entry.User,
        entry.RoleName ?? "",
        entry.RoleArn ?? "",
        entry.Outcome.ToString(),
        entry.FailureCode ?? "",
        entry.Explanation ?? "",
        entry.Fix ?? "",
        entry.EntraSignIn?.Id ?? "",
        entry.EntraSignIn?.CorrelationId ?? "",
        entry.AwsEvent?.EventId ?? "",
        entry.AwsEvent?.RequestId ?? "",
        entry.AwsEvent?.SourceIpAddress ?? entry.EntraSignIn?.IpAddress ?? "",
        entry.AwsEvent?.AssumedRoleArn ?? "",
    ];

    /// <summary>The timeline as CSV (header, one row per entry in the given order, LF line ends, RFC 4180 quoting, formula-safe cells).</summary>
    public static string ToCsv(IEnumerable<ActivityEntry> entries)
    {
        var builder = new StringBuilder();
        builder.Append(string.Join(',', CsvHeader)).Append('\n');
        foreach (var entry in entries)
        {
            builder.Append(string.Join(',', CsvRow(entry).Select(ReviewSnapshot.Escape))).Append('\n');
        }

        return builder.ToString();
    }
}
