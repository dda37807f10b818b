using System.Globalization;
using FederationPortal.Core.Monitoring;

namespace FederationPortal.Web.Components.Pages.Activity.Components;

/// <summary>How many sign-ins each role saw on each UTC day of a period: the data of the Activity page's chart.</summary>
public sealed record DailyRoleCounts(string[] Days, IReadOnlyList<RoleDayCounts> Roles)
{
    public static DailyRoleCounts Empty { get; } = new([], []);

    public static DailyRoleCounts Of(IEnumerable<ActivityEntry> entries, DateTimeOffset from, DateTimeOffset to)
    {
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        var last = DateOnly.FromDateTime(to.UtcDateTime);
        var dayCount = Math.Max(1, last.DayNumber - first.DayNumber + 1);
        var days = Enumerable.Range(0, dayCount).Select(i => first.AddDays(i).ToString("MM-dd", CultureInfo.InvariantCulture)).ToArray();

        var roles = entries
            .Where(e => e.Time >= from && e.Time <= to)
            .GroupBy(e => RoleLabel(e), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var perDay = new int[dayCount];
                foreach (var entry in g)
                {
                    perDay[DateOnly.FromDateTime(entry.Time.UtcDateTime).DayNumber - first.DayNumber]++;
                }

                return new RoleDayCounts(g.Key, perDay);
            })
            .ToList();
        return new DailyRoleCounts(days, roles);
    }

    /// <summary>The role's name, else the last segment of its ARN, else a placeholder for sign-ins that named no role.</summary>
    private static string RoleLabel(ActivityEntry entry)
        => entry.RoleName
           ?? (entry.RoleArn is { } arn ? arn[(arn.LastIndexOf('/') + 1)..] : null)
           ?? "(no role)";
}

public sealed record RoleDayCounts(string Role, IReadOnlyList<int> PerDay);
