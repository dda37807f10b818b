using FederationPortal.Core.Monitoring;

namespace FederationPortal.Core.Tests.Monitoring;

/// <summary>The failure catalogue, the CloudTrail record reader, and the chart and CSV helpers.</summary>
public sealed class SignInExplanationTests
{
    [Theory]
    [InlineData(50105, "not assigned", "User assignment stage")]
    [InlineData(50011, "reply URL", "https://signin.aws.amazon.com/saml")]
    [InlineData(700016, "not found in the tenant", "App registration stage")]
    [InlineData(50126, "wrong user name or password", "reset")]
    [InlineData(50034, "does not exist", "create or invite")]
    [InlineData(50057, "disabled", "Enable the account")]
    [InlineData(75011, "authentication method", "sign in again")]
    [InlineData(90094, "administrator consent", "admin consent")]
    public void Known_AADSTS_codes_are_explained_with_their_fix(int code, string explanation, string fix)
    {
        var explained = SignInFailureCatalogue.ForEntra(code, "whatever Entra said");

        Assert.Equal($"AADSTS{code}", explained.Code);
        Assert.Contains(explanation, explained.Explanation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(fix, explained.Fix, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unknown_AADSTS_codes_keep_Entras_reason()
    {
        var explained = SignInFailureCatalogue.ForEntra(123456, "Something new went wrong.");

        Assert.Equal("AADSTS123456", explained.Code);
        Assert.Contains("Something new went wrong.", explained.Explanation);
        Assert.Contains("AADSTS123456", explained.Fix);
    }

    [Theory]
    [InlineData("InvalidIdentityToken", "Response signature invalid", "does not match the certificate", "Certificates page")]
    [InlineData("InvalidIdentityToken", "Specified provider doesn't exist.", "does not exist in IAM", "Metadata exchange")]
    [InlineData("InvalidIdentityToken", "Issuer not present in specified provider", "issuer", "another tenant's metadata")]
    [InlineData("InvalidIdentityToken", "Response does not contain the required audience.", "audience", "https://signin.aws.amazon.com/saml")]
    [InlineData("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", "trust policy", "run the doctor")]
    [InlineData("ExpiredTokenException", "Token must not be expired", "expired", "Sign in again")]
    [InlineData("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", "maximum session duration", "MaxSessionDuration")]
    [InlineData("com.amazonaws.sts#AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", "trust policy", "Role creation stage")]
    public void STS_errors_are_explained_with_their_fix(string code, string message, string explanation, string fix)
    {
        var explained = SignInFailureCatalogue.ForAws(code, message);

        Assert.DoesNotContain('#', explained.Code);
        Assert.Contains(explanation, explained.Explanation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(fix, explained.Fix, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_AssumeRoleWithSAML_record_is_read_from_its_CloudTrail_JSON()
    {
        var provider = MonitoringWorld.ProviderArn(new Core.Environments.FederationEnvironment { Name = "Production" });
        var record = MonitoringWorld.AssumeRoleWithSamlRecord(provider, "alice@contoso.com", MonitoringWorld.RoleArn("Prod-Admin"), MonitoringWorld.Now);

        var parsed = CloudTrailSamlEvents.Parse(record)!;

        Assert.Equal(record.EventId, parsed.EventId);
        Assert.Equal(MonitoringWorld.Now, parsed.EventTime);
        Assert.Equal("alice@contoso.com", parsed.User);
        Assert.Equal(MonitoringWorld.RoleArn("Prod-Admin"), parsed.RoleArn);
        Assert.Equal(provider, parsed.PrincipalArn);
        Assert.Equal($"arn:aws:sts::{MonitoringWorld.Account}:assumed-role/Prod-Admin/alice@contoso.com", parsed.AssumedRoleArn);
        Assert.Equal("198.51.100.23", parsed.SourceIpAddress);
        Assert.NotNull(parsed.RequestId);
        Assert.True(parsed.Succeeded);
    }

    [Fact]
    public void A_refused_record_carries_its_error_and_falls_back_to_the_session_name_for_the_user()
    {
        var json = """
            {"eventName":"AssumeRoleWithSAML","userIdentity":{"type":"SAMLUser","principalId":"x:"},"errorCode":"AccessDenied","errorMessage":"Not authorized to perform sts:AssumeRoleWithSAML",
             "requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/path/Deep-Role","principalArn":"arn:aws:iam::111122223333:saml-provider/P","roleSessionName":"zoe@contoso.com"},
             "responseElements":null,"sourceIPAddress":"192.0.2.1","requestID":"r-1"}
            """;
        var record = new CloudTrailEventRecord("e-1", "AssumeRoleWithSAML", "sts.amazonaws.com", MonitoringWorld.Now, null, null, true, [], json);

        var parsed = CloudTrailSamlEvents.Parse(record)!;

        Assert.Equal("zoe@contoso.com", parsed.User);
        Assert.Equal("AccessDenied", parsed.ErrorCode);
        Assert.False(parsed.Succeeded);
        Assert.Null(parsed.AssumedRoleArn);
        Assert.Equal("Deep-Role", CloudTrailSamlEvents.RoleName(parsed.RoleArn));
    }

    [Theory]
    [InlineData("AssumeRole", "{}")]
    [InlineData("AssumeRoleWithSAML", "not json")]
    [InlineData("AssumeRoleWithSAML", "[1]")]
    public void Other_events_and_unreadable_records_are_skipped(string eventName, string json)
        => Assert.Null(CloudTrailSamlEvents.Parse(new CloudTrailEventRecord("e", eventName, "sts.amazonaws.com", MonitoringWorld.Now, null, null, null, [], json)));

    [Fact]
    public void Sign_ins_are_counted_per_UTC_day_and_role()
    {
        var day = new DateTimeOffset(2026, 11, 26, 23, 30, 0, TimeSpan.FromHours(-2)); // 27 Nov 01:30 UTC
        ActivityEntry Entry(DateTimeOffset at, string? role, ActivityOutcome outcome) => new(at, "u", null, null, null, role, outcome, null, null, null, null, null);
        var entries = new[]
        {
            Entry(day, "Admin", ActivityOutcome.Succeeded),
            Entry(day.AddHours(1), "Admin", ActivityOutcome.FailedAtAws),
            Entry(day.AddHours(2), "ReadOnly", ActivityOutcome.Succeeded),
            Entry(day.AddHours(-4), "Admin", ActivityOutcome.Succeeded),
            Entry(day, null, ActivityOutcome.FailedAtEntra),
            Entry(day, null, ActivityOutcome.EntraOnly),
        };

        var counts = ActivityStatistics.SignInsPerDayPerRole(entries);

        Assert.Equal(
            [
                new DailyRoleCount(new DateOnly(2026, 11, 26), "Admin", 1, 0),
                new DailyRoleCount(new DateOnly(2026, 11, 27), ActivityStatistics.NoRole, 0, 1),
                new DailyRoleCount(new DateOnly(2026, 11, 27), "Admin", 1, 1),
                new DailyRoleCount(new DateOnly(2026, 11, 27), "ReadOnly", 1, 0),
            ],
            counts);
    }

    [Fact]
    public void The_CSV_export_has_one_quoted_formula_safe_row_per_entry()
    {
        var entry = new ActivityEntry(MonitoringWorld.Now, "=cmd@contoso.com", Guid.NewGuid(), "Prod, EU", MonitoringWorld.RoleArn("Admin"), "Admin",
            ActivityOutcome.FailedAtAws, null, null, "AccessDenied", "AWS said \"no\".", "Fix it.");

        var lines = ActivityStatistics.ToCsv([entry]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', ActivityStatistics.CsvHeader), lines[0]);
        Assert.StartsWith("2026-11-27T09:00:00Z,\"Prod, EU\",'=cmd@contoso.com,Admin,", lines[1]);
        Assert.Contains(",FailedAtAws,AccessDenied,\"AWS said \"\"no\"\".\",Fix it.,", lines[1]);
        Assert.Equal(ActivityStatistics.CsvHeader.Count, ActivityStatistics.CsvRow(entry).Count);
    }
}
