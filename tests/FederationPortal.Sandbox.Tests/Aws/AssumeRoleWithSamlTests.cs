using System.Globalization;
using System.Net;
using System.Xml;
using Amazon.Runtime;
using FederationPortal.Tests.Saml;

namespace FederationPortal.Sandbox.Tests.Aws;

/// <summary>STS AssumeRoleWithSAML over real HTTP: one test per rule AWS applies, each expecting AWS's error code.</summary>
public sealed class AssumeRoleWithSamlTests(StsSamlFixture fixture) : IClassFixture<StsSamlFixture>
{
    private string Pair(string role, string? provider = null) => $"{StsSamlFixture.RoleArn(role)},{provider ?? fixture.ProviderArn}";

    private TestSamlResponse Spec(string role = "EntraAdmins") => new() { Roles = [Pair(role)], Now = DateTimeOffset.UtcNow };

    private Task<QueryAnswer> AssumeAsync(string assertion, string role = "EntraAdmins", string? principal = null, int? duration = null, string? policy = null)
    {
        var parameters = new List<(string, string)>
        {
            ("RoleArn", StsSamlFixture.RoleArn(role)),
            ("PrincipalArn", principal ?? fixture.ProviderArn),
            ("SAMLAssertion", assertion),
        };
        if (duration is { } seconds)
        {
            parameters.Add(("DurationSeconds", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        if (policy is not null)
        {
            parameters.Add(("Policy", policy));
        }

        return fixture.Aws.CallAsync(fixture.Aws.StsUrl, "sts", "2011-06-15", credentials: null, "AssumeRoleWithSAML", [.. parameters]);
    }

    private static void AssertError(QueryAnswer answer, string code, HttpStatusCode status, System.Xml.Linq.XNamespace? ns = null)
    {
        Assert.True(answer.ErrorCode == code, $"expected {code}, got {answer.Document}");
        Assert.Equal(status, answer.Status);
        Assert.Equal((ns ?? QueryAnswer.Sts) + "ErrorResponse", answer.Document.Root!.Name);
    }

    [Fact]
    public async Task Valid_assertion_returns_temporary_credentials_that_act_as_the_role()
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec()));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var root = answer.Document.Root!;
        Assert.Equal(QueryAnswer.Sts + "AssumeRoleWithSAMLResponse", root.Name);
        var keyId = answer.Value("AccessKeyId")!;
        Assert.Matches("^ASIA[A-Z0-9]{16}$", keyId);
        Assert.Equal($"arn:aws:sts::111122223333:assumed-role/EntraAdmins/alice@contoso.example", root.Descendants(QueryAnswer.Sts + "AssumedRoleUser").Single().Element(QueryAnswer.Sts + "Arn")!.Value);
        Assert.Equal("alice@contoso.example", answer.Value("Subject"));
        Assert.Equal(fixture.Idp.EntityId, answer.Value("Issuer"));
        Assert.Equal("https://signin.aws.amazon.com/saml", answer.Value("Audience"));
        Assert.False(string.IsNullOrEmpty(answer.Value("NameQualifier")));
        var expiration = DateTimeOffset.Parse(answer.Value("Expiration")!, CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        var temporary = new SessionAWSCredentials(keyId, answer.Value("SecretAccessKey"), answer.Value("SessionToken"));
        var identity = await fixture.Aws.CallAsync(fixture.Aws.StsUrl, "sts", "2011-06-15", temporary, "GetCallerIdentity", []);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/EntraAdmins/alice@contoso.example", identity.Value("Arn"));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsAsync(temporary, "ListRoles")).Status);
        AssertError(await fixture.Aws.IamAsAsync(temporary, "CreateUser", ("UserName", "not-allowed")), "AccessDenied", HttpStatusCode.Forbidden, QueryAnswer.Iam);
    }

    [Fact]
    public async Task A_session_policy_narrows_the_role_permissions()
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec()), policy: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}""");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotNull(answer.Value("PackedPolicySize"));
        var temporary = new SessionAWSCredentials(answer.Value("AccessKeyId"), answer.Value("SecretAccessKey"), answer.Value("SessionToken"));

        Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsAsync(temporary, "GetRole", ("RoleName", "EntraAdmins"))).Status);
        AssertError(await fixture.Aws.IamAsAsync(temporary, "ListRoles"), "AccessDenied", HttpStatusCode.Forbidden, QueryAnswer.Iam);
    }

    [Fact]
    public async Task A_malformed_session_policy_is_MalformedPolicyDocument()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec()), policy: "{nope"), "MalformedPolicyDocument", HttpStatusCode.BadRequest);

    [Fact]
    public async Task Session_duration_attribute_only_shortens_the_session()
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec() with { SessionDuration = 900 }));
        var expiration = DateTimeOffset.Parse(answer.Value("Expiration")!, CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(13), TimeSpan.FromMinutes(16));
    }

    [Fact]
    public async Task Tampered_assertion_is_InvalidIdentityToken()
    {
        var document = fixture.Idp.ResponseDocument(Spec());
        document.GetElementsByTagName("NameID", TestIdentityProvider.Assertion)[0]!.InnerText = "mallory@contoso.example";
        AssertError(await AssumeAsync(TestIdentityProvider.Encode(document)), "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Assertion_signed_by_another_key_is_InvalidIdentityToken()
    {
        using var other = TestIdentityProvider.CreateCertificate();
        var answer = await AssumeAsync(fixture.Idp.Response(Spec() with { SignWith = other }));
        AssertError(answer, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        Assert.Contains("signature", answer.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Wrong_issuer_is_InvalidIdentityToken()
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec() with { Issuer = "https://sts.windows.net/someone-else/" }));
        AssertError(answer, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        Assert.Equal("Issuer not present in specified provider", answer.ErrorMessage);
    }

    [Fact]
    public async Task Wrong_audience_is_InvalidIdentityToken()
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec() with { Audience = "https://example.com/app" }));
        AssertError(answer, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        Assert.Equal("Response does not contain the required audience.", answer.ErrorMessage);
    }

    [Fact]
    public async Task Wrong_recipient_is_InvalidIdentityToken()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec() with { Recipient = "https://example.com/acs" })), "InvalidIdentityToken", HttpStatusCode.BadRequest);

    [Fact]
    public async Task Expired_assertion_is_ExpiredTokenException()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec() with { Now = DateTimeOffset.UtcNow.AddHours(-2) })), "ExpiredTokenException", HttpStatusCode.BadRequest);

    [Fact]
    public async Task Not_yet_valid_assertion_is_InvalidIdentityToken()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec() with { Now = DateTimeOffset.UtcNow.AddMinutes(30) })), "InvalidIdentityToken", HttpStatusCode.BadRequest);

    [Fact]
    public async Task Assertion_without_the_Role_attribute_is_InvalidIdentityToken()
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec() with { Roles = [] }));
        AssertError(answer, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        Assert.Contains("invalid SAML response", answer.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Role_paired_with_another_provider_in_the_assertion_is_AccessDenied()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec() with { Roles = [Pair("EntraAdmins", fixture.OtherProviderArn)] })), "AccessDenied", HttpStatusCode.Forbidden);

    [Fact]
    public async Task Role_absent_from_IAM_is_AccessDenied()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec("NoSuchRole")), role: "NoSuchRole"), "AccessDenied", HttpStatusCode.Forbidden);

    [Fact]
    public async Task Provider_that_does_not_exist_is_InvalidIdentityToken()
    {
        var missing = "arn:aws:iam::111122223333:saml-provider/Missing";
        var answer = await AssumeAsync(fixture.Idp.Response(Spec() with { Roles = [Pair("EntraAdmins", missing)] }), principal: missing);
        AssertError(answer, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        Assert.Equal("Specified provider doesn't exist.", answer.ErrorMessage);
    }

    [Theory]
    [InlineData("alice smith")]
    [InlineData("x")]
    [InlineData("ålice")]
    public async Task Bad_session_name_is_InvalidIdentityToken(string sessionName)
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec() with { SessionName = sessionName }));
        AssertError(answer, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        Assert.Equal("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}", answer.ErrorMessage);
    }

    [Fact]
    public async Task Duration_above_the_role_maximum_is_ValidationError()
    {
        var answer = await AssumeAsync(fixture.Idp.Response(Spec()), duration: 7200);
        AssertError(answer, "ValidationError", HttpStatusCode.BadRequest);
        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", answer.ErrorMessage);
    }

    [Fact]
    public async Task Trust_policy_naming_another_provider_is_AccessDenied()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec("OtherProviderOnly")), role: "OtherProviderOnly"), "AccessDenied", HttpStatusCode.Forbidden);

    [Fact]
    public async Task Trust_policy_lacking_the_action_is_AccessDenied()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec("WrongAction")), role: "WrongAction"), "AccessDenied", HttpStatusCode.Forbidden);

    [Fact]
    public async Task Trust_policy_whose_SAML_aud_condition_fails_is_AccessDenied()
        => AssertError(await AssumeAsync(fixture.Idp.Response(Spec("WrongAudience")), role: "WrongAudience"), "AccessDenied", HttpStatusCode.Forbidden);

    [Fact]
    public async Task Signature_wrapping_is_InvalidIdentityToken()
    {
        var document = fixture.Idp.ResponseDocument(Spec());
        var signed = (XmlElement)document.GetElementsByTagName("Assertion", TestIdentityProvider.Assertion)[0]!;
        var evil = (XmlElement)signed.CloneNode(deep: true);
        evil.GetElementsByTagName("NameID", TestIdentityProvider.Assertion)[0]!.InnerText = "root@contoso.example";
        var extensions = document.CreateElement("samlp", "Extensions", TestIdentityProvider.Protocol);
        document.DocumentElement!.ReplaceChild(evil, signed);
        extensions.AppendChild(signed);
        document.DocumentElement.InsertBefore(extensions, evil);

        AssertError(await AssumeAsync(TestIdentityProvider.Encode(document)), "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(SignatureWrapping.Variants), MemberType = typeof(SignatureWrapping))]
    public async Task Each_classic_signature_wrapping_variant_is_refused_for_the_wrapping(int variant)
    {
        var document = fixture.Idp.ResponseDocument(Spec() with { SignAssertion = !SignatureWrapping.WrapsTheResponse(variant), SignResponse = SignatureWrapping.WrapsTheResponse(variant) });
        SignatureWrapping.Apply(document, variant);

        var answer = await AssumeAsync(TestIdentityProvider.Encode(document));

        AssertError(answer, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        Assert.Equal("Response signature invalid (the signed element is not the one used)", answer.ErrorMessage);
    }

    [Fact]
    public async Task Missing_parameters_are_ValidationError_and_AssumeRoleWithSAML_needs_no_signature()
    {
        var answer = await fixture.Aws.CallAsync(fixture.Aws.StsUrl, "sts", "2011-06-15", null, "AssumeRoleWithSAML", [("RoleArn", StsSamlFixture.RoleArn("EntraAdmins"))]);
        AssertError(answer, "ValidationError", HttpStatusCode.BadRequest);
    }
}
