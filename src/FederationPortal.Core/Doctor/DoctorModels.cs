namespace FederationPortal.Core.Doctor;

/// <summary>How a finding reads: fine, worth attention, broken, or not applicable to this environment.</summary>
public enum DoctorStatus
{
    Passed,
    Warning,
    Failed,
    Skipped,
}

/// <summary>
/// One thing a check found, in plain words: what is wrong (or right), why it matters, what to do about it, and the
/// id of the fix the portal can apply itself (null when only a person can).
/// </summary>
/// <param name="CheckId">The <see cref="IDoctorCheck.Id"/> that produced it.</param>
/// <param name="Status">Its severity.</param>
/// <param name="Subject">What it is about: a role name, the IAM SAML provider, a user…</param>
/// <param name="Explanation">What is the matter, and what an admin would see because of it.</param>
/// <param name="Fix">The fix in words.</param>
/// <param name="FixId">The automatic fix, for <see cref="DoctorService.FixAsync"/>.</param>
/// <param name="FixTarget">What the fix acts on (e.g. the role name), passed back to it.</param>
public sealed record DoctorFinding(
    string CheckId,
    DoctorStatus Status,
    string Subject,
    string Explanation,
    string? Fix = null,
    string? FixId = null,
    string? FixTarget = null)
{
    public bool CanFix => FixId is not null;
}

/// <summary>The findings of one check.</summary>
public sealed record DoctorCheckResult(string CheckId, string Title, IReadOnlyList<DoctorFinding> Findings)
{
    /// <summary>The worst status among the findings (Failed over Warning over Passed; Skipped only when nothing else).</summary>
    public DoctorStatus Status => Findings.Count == 0 ? DoctorStatus.Skipped
        : Findings.Any(f => f.Status == DoctorStatus.Failed) ? DoctorStatus.Failed
        : Findings.Any(f => f.Status == DoctorStatus.Warning) ? DoctorStatus.Warning
        : Findings.Any(f => f.Status == DoctorStatus.Passed) ? DoctorStatus.Passed
        : DoctorStatus.Skipped;
}

/// <summary>Every check run for one environment at one moment.</summary>
public sealed record DoctorReport(Guid EnvironmentId, DateTimeOffset RanAt, IReadOnlyList<DoctorCheckResult> Checks, IReadOnlyList<string> LoadProblems)
{
    public IEnumerable<DoctorFinding> Findings => Checks.SelectMany(c => c.Findings);

    public bool AllPassed => LoadProblems.Count == 0 && Findings.All(f => f.Status is DoctorStatus.Passed or DoctorStatus.Skipped);
}

/// <summary>What an automatic fix did.</summary>
public sealed record DoctorFixResult(string FixId, string? Target, string Summary);

/// <summary>A progress tick while the checks run.</summary>
public sealed record DoctorProgress(int Done, int Total, string Current);
