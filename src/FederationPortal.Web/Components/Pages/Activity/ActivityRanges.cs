namespace FederationPortal.Web.Components.Pages.Activity;

/// <summary>The time ranges the Activity page offers, by the key its query string carries (<c>range=24h|7d|30d</c>).</summary>
public static class ActivityRanges
{
    public const string Default = "7d";

    public static IReadOnlyList<ActivityRange> All { get; } =
    [
        new("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        new("7d", "Last 7 days", TimeSpan.FromDays(7)),
        new("30d", "Last 30 days", TimeSpan.FromDays(30)),
    ];

    /// <summary>The range named by <paramref name="key"/>, or the default one for a missing or unknown key.</summary>
    public static ActivityRange Find(string? key)
        => All.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase)) ?? All.Single(r => r.Key == Default);
}

public sealed record ActivityRange(string Key, string Label, TimeSpan Span);
