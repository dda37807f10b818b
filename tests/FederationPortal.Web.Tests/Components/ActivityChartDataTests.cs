using FederationPortal.Core.Monitoring;
using FederationPortal.Web.Components.Pages.Activity.Components;

namespace FederationPortal.Web.Tests.Components;

public sealed class ActivityChartDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_sign_ins_per_UTC_day_and_role_over_the_whole_period()
    {
        var counts = DailyRoleCounts.Of(
        [
            ActivitySamples.Succeeded(Now.AddHours(-1)),
            ActivitySamples.Succeeded(Now.AddHours(-2)),
            ActivitySamples.FailedAtAws(Now.AddDays(-2)),
            ActivitySamples.Succeeded(Now.AddDays(-1), role: "FP-Administrator"),
            ActivitySamples.FailedAtEntra(Now.AddDays(-1)), // reached no AWS role
            ActivitySamples.Succeeded(Now.AddDays(-9)),      // before the period: not counted
        ], Now.AddDays(-3), Now);

        Assert.Equal(["11-24", "11-25", "11-26", "11-27"], counts.Days);
        Assert.Equal([ActivityStatistics.NoRole, "FP-Administrator", "FP-ReadOnly"], counts.Roles.Select(r => r.Role));
        Assert.Equal([0, 0, 1, 0], counts.Roles[0].PerDay);
        Assert.Equal([0, 0, 1, 0], counts.Roles[1].PerDay);
        Assert.Equal([0, 1, 0, 2], counts.Roles[2].PerDay);
    }
}
