using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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
    [Range(1, int.MaxValue, ErrorMessage = $"{SectionName}:{nameof(MaxSourceEvents)} must be a whole number of 1 or more.")]
    public int MaxSourceEvents { get; set; } = 2000;

    /// <summary>The Activity page's default time range, in days (CloudTrail keeps 90 days of event history).</summary>
    [Range(1, int.MaxValue, ErrorMessage = $"{SectionName}:{nameof(LookbackDays)} must be a whole number of 1 or more.")]
    public int LookbackDays { get; set; } = 7;

    /// <summary>A spike: at least this many failed sign-ins in the last hour …</summary>
    [Range(1, int.MaxValue, ErrorMessage = $"{SectionName}:{nameof(FailedSignInSpikeThreshold)} must be a whole number of 1 or more.")]
    public int FailedSignInSpikeThreshold { get; set; } = 5;

    /// <summary>… and more than this many times the hourly average of the 24 hours before.</summary>
    [Range(1d, double.MaxValue, ErrorMessage = $"{SectionName}:{nameof(FailedSignInSpikeFactor)} must be a number of 1 or more.")]
    public double FailedSignInSpikeFactor { get; set; } = 3;

    /// <summary>A role with no successful sign-in for this many days is a candidate for removal.</summary>
    [Range(1, int.MaxValue, ErrorMessage = $"{SectionName}:{nameof(UnusedRoleDays)} must be a whole number of 1 or more.")]
    public int UnusedRoleDays { get; set; } = 30;

    /// <summary>Warn when a signing certificate expires within this many days.</summary>
    [Range(0, int.MaxValue, ErrorMessage = $"{SectionName}:{nameof(CertificateExpiryDays)} must be a whole number of 0 or more.")]
    public int CertificateExpiryDays { get; set; } = 30;

    /// <summary>How long computed alerts are reused (the dashboard asks on every render).</summary>
    public TimeSpan AlertCacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The durations must not be negative (data annotations have no range for <see cref="TimeSpan"/>).</summary>
internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var failures = new (string Key, TimeSpan Value)[]
            {
                (nameof(options.CorrelationWindow), options.CorrelationWindow),
                (nameof(options.ClockSkew), options.ClockSkew),
                (nameof(options.AlertCacheDuration), options.AlertCacheDuration),
            }
            .Where(d => d.Value < TimeSpan.Zero)
            .Select(d => $"{MonitoringOptions.SectionName}:{d.Key} must be a duration such as 00:05:00, not {d.Value}.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
