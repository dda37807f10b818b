using FederationPortal.Core.Doctor;
using FederationPortal.Core.Doctor.Checks;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;

namespace FederationPortal.Core.Tests.Doctor;

public sealed class DoctorParsingTests
{
    private const string Provider = "arn:aws:iam::111122223333:saml-provider/EntraID-Contoso";
    private const string Other = "arn:aws:iam::111122223333:saml-provider/Okta";
    private const string Aud = ",\"Condition\":{\"StringEquals\":{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}";

    private static IReadOnlyList<string> Problems(string statements)
        => DoctorParsing.TrustPolicyProblems("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}", Provider, FederationNames.AwsSignInUrl);

    [Fact]
    public void The_portals_own_trust_policy_has_no_problem_even_url_encoded()
    {
        Assert.Empty(DoctorParsing.TrustPolicyProblems(FederationNames.TrustPolicy(Provider), Provider, FederationNames.AwsSignInUrl));
        Assert.Empty(DoctorParsing.TrustPolicyProblems(Uri.EscapeDataString(FederationNames.TrustPolicy(Provider)), Provider, FederationNames.AwsSignInUrl));
    }

    [Fact]
    public void Each_trust_policy_fault_is_named()
    {
        Assert.Contains(Problems($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"{Provider}\"}},\"Action\":\"sts:AssumeRole\"{Aud}}}"),
            p => p.StartsWith("No statement allows sts:AssumeRoleWithSAML", StringComparison.Ordinal));
        Assert.Contains(Problems($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"{Other}\"}},\"Action\":\"sts:AssumeRoleWithSAML\"{Aud}}}"),
            p => p.Contains($"Federated {Other} instead of", StringComparison.Ordinal));
        Assert.Contains(Problems($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"{Provider}\",\"AWS\":\"arn:aws:iam::444455556666:root\"}},\"Action\":\"sts:AssumeRoleWithSAML\"{Aud}}}"),
            p => p.Contains("also trusts AWS arn:aws:iam::444455556666:root", StringComparison.Ordinal));
        Assert.Contains(Problems($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"{Provider}\"}},\"Action\":[\"sts:AssumeRoleWithSAML\"]}}"),
            p => p.Contains("no condition SAML:aud", StringComparison.Ordinal));
        Assert.Contains(Problems($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":[\"{Provider}\",\"{Other}\"]}},\"Action\":\"sts:AssumeRoleWithSAML\"{Aud}}}"),
            p => p.Contains("names 2 SAML providers", StringComparison.Ordinal));
        Assert.Contains(Problems($"{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRoleWithSAML\"{Aud}}}"),
            p => p.Contains("everyone", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deny_statement_is_not_a_trusted_principal()
    {
        var statements = $"{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"{Provider}\"}},\"Action\":\"sts:AssumeRoleWithSAML\"{Aud}}}," +
                         "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}";
        Assert.Empty(Problems(statements));
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/Admin,arn:aws:iam::111122223333:saml-provider/P", true)]
    [InlineData("arn:aws:iam::111122223333:saml-provider/P, arn:aws:iam::111122223333:role/Admin", true)]
    [InlineData("arn:aws:iam::111122223333:role/Admin", false)]
    [InlineData(null, false)]
    public void Role_values_parse_in_either_order(string? value, bool valid)
    {
        var parsed = DoctorParsing.ParseRoleValue(value);
        Assert.Equal(valid, parsed is not null);
        if (parsed is { } pair)
        {
            Assert.Equal("Admin", DoctorParsing.RoleName(pair.RoleArn));
        }
    }

    [Fact]
    public void Claims_policy_problems_name_case_and_missing_claims()
    {
        static List<string> Of(string definition) => ClaimsPolicyCheck.Problems(new EntraClaimsMappingPolicy("p", "P", [definition]));

        Assert.Empty(Of(EntraWellKnown.AwsClaimsMappingDefinition()));
        Assert.Contains(Of(EntraWellKnown.AwsClaimsMappingDefinition().Replace("Attributes/Role\"", "Attributes/role\"", StringComparison.Ordinal)),
            p => p.Contains("spelt 'https://aws.amazon.com/SAML/Attributes/role'", StringComparison.Ordinal));
        Assert.Contains(Of(EntraWellKnown.AwsClaimsMappingDefinition().Replace("\"SamlClaimType\"", "\"samlClaimType\"", StringComparison.Ordinal)),
            p => p.Contains("'samlClaimType' should be 'SamlClaimType'", StringComparison.Ordinal));
        Assert.Contains(Of(EntraWellKnown.AwsClaimsMappingDefinition().Replace("userprincipalname\",\"SamlClaimType\":\"https://aws.amazon.com/SAML/Attributes/RoleSessionName", "userprincipalname\",\"SamlClaimType\":\"https://example.com/name", StringComparison.Ordinal)),
            p => p.Contains("no RoleSessionName claim", StringComparison.Ordinal));
        Assert.Contains(Of(EntraWellKnown.AwsClaimsMappingDefinition(60)), p => p.Contains("between 900 and 43200", StringComparison.Ordinal));
    }
}
