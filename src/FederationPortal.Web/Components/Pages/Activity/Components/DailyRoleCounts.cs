using System.Globalization;
using FederationPortal.Core.Monitoring;

namespace FederationPortal.Web.Components.Pages.Activity.Components;

/// <summary>
/// The chart's layout of <see cref="ActivityStatistics.SignInsPerDayPerRole"/>: one label per UTC day of the period
/// (days without sign-ins included, so gaps show) and, per role, its count on each of those days.
/// </summary>
public sealed record DailyRoleCounts(string[] Days, IReadOnlyList<RoleDayCounts> Roles)
{
    public static DailyRoleCounts Empty { get; } = new([], []);

    public static DailyRoleCounts Of(IEnumerable<ActivityEntry> entries, DateTimeOffset from, DateTimeOffset to)
    {
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        var last = DateOnly.FromDateTime(to.UtcDateTime);
        var dayCount = Math.Max(1, last.DayNumber - first.DayNumber + 1);
        var days = Enumerable.Range(0, dayCount).Select(i => first.AddDays(i).ToString("MM-dd", CultureInfo.InvariantCulture)).ToArray();

        var counts = ActivityStatistics.SignInsPerDayPerRole(entries.Where(e => e.Time >= from && e.Time <= to));
        var roles = counts
            .GroupBy(c => c.Role, StringComparer.Ordinal)
            .Select(g =>
            {
                var perDay = new int[dayCount];
                foreach (var count in g)
                {
                    perDay[count.Day.DayNumber - first.DayNumber] += count.Total;
                }

                return new RoleDayCounts(g.Key, perDay);
            })
            .Where(r => r.PerDay.Any(c => c > 0))
            .OrderBy(r => r.Role, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new DailyRoleCounts(days, roles);
    }
}

public sealed record RoleDayCounts(string Role, IReadOnlyList<int> PerDay);
