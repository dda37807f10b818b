using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace FederationPortal.Core.Monitoring;

/// <summary>
/// The activity timeline's and the alerts' settings, from <c>Portal:Monitoring</c>
/// (e.g. <c>Portal:Monitoring:UnusedRoleDays</c>); every key is optional.
/// </summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Portal:Monitoring";

    /// <summary>How long after an Entra sign-in its AWS <c>AssumeRoleWithSAML</c> may come and still be joined to it.</summary>
    public TimeSpan CorrelationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How much earlier than the Entra sign-in an AWS event may be stamped (the two clouds' clocks differ slightly).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most events read from each source for one timeline (CloudTrail serves 50 a page, 2 pages a second).</summary>
    public int MaxSourceEvents { get; set; } = 2000;

    /// <summary>The Activity page's default time range, in days (CloudTrail keeps 90 days of event history).</summary>
    public int LookbackDays { get; set; } = 7;

    /// <summary>A spike: at least this many failed sign-ins in the last hour …</summary>
    public int FailedSignInSpikeThreshold { get; set; } = 5;

    /// <summary>… and more than this many times the hourly average of the 24 hours before.</summary>
    public double FailedSignInSpikeFactor { get; set; } = 3;

    /// <summary>A role with no successful sign-in for this many days is a candidate for removal.</summary>
    public int UnusedRoleDays { get; set; } = 30;

    /// <summary>Warn when a signing certificate expires within this many days.</summary>
    public int CertificateExpiryDays { get; set; } = 30;

    /// <summary>How long computed alerts are reused (the dashboard asks on every render).</summary>
    public TimeSpan AlertCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The options from <c>Portal:Monitoring</c>; a malformed value fails with a message naming its key.</summary>
    public static MonitoringOptions From(IConfiguration? configuration)
    {
        var options = new MonitoringOptions();
        var section = configuration?.GetSection(SectionName);
        if (section is null)
        {
            return options;
        }

        options.CorrelationWindow = Time(section, nameof(CorrelationWindow), options.CorrelationWindow);
        options.ClockSkew = Time(section, nameof(ClockSkew), options.ClockSkew);
        options.MaxSourceEvents = Whole(section, nameof(MaxSourceEvents), options.MaxSourceEvents, 1);
        options.LookbackDays = Whole(section, nameof(LookbackDays), options.LookbackDays, 1);
        options.FailedSignInSpikeThreshold = Whole(section, nameof(FailedSignInSpikeThreshold), options.FailedSignInSpikeThreshold, 1);
        options.UnusedRoleDays = Whole(section, nameof(UnusedRoleDays), options.UnusedRoleDays, 1);
        options.CertificateExpiryDays = Whole(section, nameof(CertificateExpiryDays), options.CertificateExpiryDays, 0);
        options.AlertCacheDuration = Time(section, nameof(AlertCacheDuration), options.AlertCacheDuration);
        if (section[nameof(FailedSignInSpikeFactor)] is { } factor)
        {
            options.FailedSignInSpikeFactor = double.TryParse(factor, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
                ? parsed
                : throw Invalid(nameof(FailedSignInSpikeFactor), factor, "a number of 1 or more");
        }

        return options;
    }

    private static int Whole(IConfigurationSection section, string key, int fallback, int minimum)
        => section[key] is not { } text ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum ? value
            : throw Invalid(key, text, $"a whole number of {minimum} or more");

    private static TimeSpan Time(IConfigurationSection section, string key, TimeSpan fallback)
        => section[key] is not { } text ? fallback
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero ? value
            : throw Invalid(key, text, "a duration such as 00:05:00");

    private static InvalidOperationException Invalid(string key, string value, string expected)
        => new($"{SectionName}:{key} must be {expected}, not '{value}'.");
}
