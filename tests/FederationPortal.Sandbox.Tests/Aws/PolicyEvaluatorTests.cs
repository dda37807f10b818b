using FederationPortal.Sandbox.Aws;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.Sandbox.Aws.Protocol;

namespace FederationPortal.Sandbox.Tests.Aws;

public sealed class PolicyEvaluatorTests
{
    private static PolicyDecision Decide(string policy, string action, string resource, Dictionary<string, string>? context = null)
        => PolicyEvaluator.Evaluate([PolicyDocument.Parse(policy, PolicyKind.Identity)], action, resource, context);

    [Theory]
    [InlineData("iam:List*", "iam:ListRoles", true)]
    [InlineData("IAM:listroles", "iam:ListRoles", true)]
    [InlineData("iam:List?oles", "iam:ListRoles", true)]
    [InlineData("iam:Get*", "iam:ListRoles", false)]
    [InlineData("*", "s3:GetObject", true)]
    public void Actions_match_with_wildcards_case_insensitively(string pattern, string action, bool allowed)
        => Assert.Equal(allowed ? PolicyDecision.Allowed : PolicyDecision.ImplicitDeny,
            Decide($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{pattern}}","Resource":"*"}]}""", action, "*"));

    [Fact]
    public void Resources_match_case_sensitively_and_NotResource_excludes()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","NotResource":"arn:aws:iam::111122223333:role/Admin*"}]}""";
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iam:GetRole", "arn:aws:iam::111122223333:role/ReadOnly"));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "iam:GetRole", "arn:aws:iam::111122223333:role/AdminRole"));
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "iam:GetRole", "arn:aws:iam::111122223333:role/adminRole"));
    }

    [Fact]
    public void An_explicit_deny_wins_over_any_allow()
        => Assert.Equal(PolicyDecision.ExplicitDeny, Decide(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:Delete*","Resource":"*"}]}""",
            "iam:DeleteRole", "arn:aws:iam::111122223333:role/x"));

    [Fact]
    public void Conditions_hold_only_for_matching_context_values()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoleWithSAML","Resource":"*","Condition":{"StringLike":{"SAML:aud":"https://signin.aws.amazon.com/*"},"StringEqualsIfExists":{"SAML:sub_type":"persistent"}}}]}""";
        Assert.Equal(PolicyDecision.Allowed, Decide(policy, "sts:AssumeRoleWithSAML", "*", new() { ["saml:aud"] = "https://signin.aws.amazon.com/saml" }));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "sts:AssumeRoleWithSAML", "*", new() { ["SAML:aud"] = "https://evil.example/saml" }));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "sts:AssumeRoleWithSAML", "*", new() { ["SAML:aud"] = "https://signin.aws.amazon.com/saml", ["SAML:sub_type"] = "transient" }));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide(policy, "sts:AssumeRoleWithSAML", "*"));
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"iam:ListRoles","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2010-01-01","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ListRoles","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""")]
    public void Malformed_identity_policies_are_refused(string policy)
        => Assert.Equal("MalformedPolicyDocument", Assert.Throws<AwsQueryError>(() => PolicyDocument.Parse(policy, PolicyKind.Identity)).Code);
}
