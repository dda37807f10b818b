using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FederationPortal.Core.Review;

/// <summary>
/// One line of a role-assignment review: a person who can assume an AWS role, directly or through a group, with what
/// that role allows. Read live from the clouds (Entra assignments and group members, the IAM role).
/// </summary>
/// <param name="ViaGroupId">The assigned group the person belongs to; null for a direct assignment.</param>
/// <param name="TrustedProviders">The SAML providers the role's trust policy lets call <c>sts:AssumeRoleWithSAML</c>.</param>
/// <param name="Note">Why this access may not work as it reads (role missing, app role disabled…); null when nothing is odd.</param>
public sealed record RoleAccessRow(
    Guid EnvironmentId,
    string EnvironmentName,
    string PrincipalId,
    string PrincipalName,
    string? UserPrincipalName,
    string? ViaGroupId,
    string? ViaGroupName,
    string RoleName,
    string RoleArn,
    string? ClaimProviderArn,
    IReadOnlyList<string> Policies,
    int? MaxSessionDurationSeconds,
    IReadOnlyList<string> TrustedProviders,
    string? Note)
{
    public bool IsDirect => ViaGroupId is null;
}

/// <summary>An environment the review could not read completely, and why.</summary>
public sealed record ReviewProblem(Guid EnvironmentId, string EnvironmentName, string Message);

/// <summary>What a filter keeps: text in the person's name, UPN or group's name, and one role (its name or ARN, exactly).</summary>
public sealed record ReviewFilter(string? Principal = null, string? Role = null)
{
    public bool Matches(RoleAccessRow row)
        => (string.IsNullOrWhiteSpace(Principal)
            || Contains(row.PrincipalName, Principal) || Contains(row.UserPrincipalName, Principal) || Contains(row.ViaGroupName, Principal))
           && (string.IsNullOrWhiteSpace(Role) || string.Equals(row.RoleName, Role.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(row.RoleArn, Role.Trim(), StringComparison.Ordinal));

    private static bool Contains(string? value, string text) => value?.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>
/// The review at one moment. Its canonical CSV (fixed columns, rows in a fixed order, invariant formats, LF line ends,
/// UTF-8 without BOM) is what the export serves and what an attestation's SHA-256 covers.
/// </summary>
public sealed record ReviewSnapshot(DateTimeOffset TakenAt, Guid? EnvironmentId, IReadOnlyList<RoleAccessRow> Rows, IReadOnlyList<ReviewProblem> Problems)
{
    public static readonly IReadOnlyList<string> CsvHeader =
    [
        "environment_id", "environment", "principal_id", "principal", "user_principal_name", "via_group_id", "via_group",
        "role_name", "role_arn", "claim_provider_arn", "policies", "max_session_seconds", "trusted_providers", "note",
    ];

    public ReviewSnapshot Filter(ReviewFilter filter) => this with { Rows = Rows.Where(filter.Matches).ToList() };

    public string ToCsv()
    {
        var builder = new StringBuilder();
        builder.Append(string.Join(',', CsvHeader)).Append('\n');
        foreach (var row in Order(Rows))
        {
            string[] cells =
            [
                row.EnvironmentId.ToString("D"), row.EnvironmentName, row.PrincipalId, row.PrincipalName, row.UserPrincipalName ?? "",
                row.ViaGroupId ?? "", row.ViaGroupName ?? "", row.RoleName, row.RoleArn, row.ClaimProviderArn ?? "",
                string.Join(' ', row.Policies), row.MaxSessionDurationSeconds?.ToString(CultureInfo.InvariantCulture) ?? "",
                string.Join(' ', row.TrustedProviders), row.Note ?? "",
            ];
            builder.Append(string.Join(',', cells.Select(Escape))).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>SHA-256 (lower-case hex) of <see cref="ToCsv"/> in UTF-8.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(new UTF8Encoding(false).GetBytes(ToCsv())));

    public static IEnumerable<RoleAccessRow> Order(IEnumerable<RoleAccessRow> rows) => rows
        .OrderBy(r => r.EnvironmentName, StringComparer.Ordinal)
        .ThenBy(r => r.EnvironmentId)
        .ThenBy(r => r.UserPrincipalName ?? r.PrincipalName, StringComparer.OrdinalIgnoreCase)
        .ThenBy(r => r.PrincipalId, StringComparer.Ordinal)
        .ThenBy(r => r.RoleArn, StringComparer.Ordinal)
        .ThenBy(r => r.ViaGroupId ?? "", StringComparer.Ordinal);

    /// <summary>RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula.</summary>
    public static string Escape(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}

/// <summary>What an attestation recorded.</summary>
public sealed record ReviewAttestation(string ReviewerId, string ReviewerName, DateTimeOffset AttestedAt, Guid? EnvironmentId, int RowCount, string Sha256, long AuditSequence);
