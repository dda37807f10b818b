using System.Net;
using Amazon.Runtime;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.TestSupport;

namespace FederationPortal.Sandbox.Tests.Aws;

public sealed class SandboxHostFixture : IAsyncLifetime
{
    public EmulatorHost Host { get; } = new();

    public SandboxAwsClient Aws => new(Host);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>IAM on the wire: SigV4, identity-based authorization, validation, limits and pagination, over real HTTP.</summary>
public sealed class SandboxIamTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private const string AnyTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private SandboxAwsClient Aws => fixture.Aws;

    private static void AssertError(QueryAnswer answer, string code, HttpStatusCode status)
    {
        Assert.True(answer.ErrorCode == code, $"expected {code}, got {answer.Document}");
        Assert.Equal(status, answer.Status);
        Assert.Equal(QueryAnswer.Iam + "ErrorResponse", answer.Document.Root!.Name);
        Assert.Equal("Sender", answer.Value("Type"));
        Assert.False(string.IsNullOrEmpty(answer.Document.Root.Element(QueryAnswer.Iam + "RequestId")?.Value));
    }

    private async Task<(string KeyId, string Secret)> CreateUserWithKeyAsync(string userName, string policy)
    {
        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsync("CreateUser", ("UserName", userName))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsync("PutUserPolicy", ("UserName", userName), ("PolicyName", "p"), ("PolicyDocument", policy))).Status);
        var key = await Aws.IamAsync("CreateAccessKey", ("UserName", userName));
        return (key.Value("AccessKeyId")!, key.Value("SecretAccessKey")!);
    }

    [Fact]
    public async Task Responses_are_Query_documents_in_the_IAM_namespace_with_a_request_id()
    {
        var answer = await Aws.IamAsync("ListRoles");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(QueryAnswer.Iam + "ListRolesResponse", answer.Document.Root!.Name);
        Assert.NotNull(answer.Document.Root.Element(QueryAnswer.Iam + "ListRolesResult")?.Element(QueryAnswer.Iam + "IsTruncated"));
        Assert.Matches("^[0-9a-f-]{36}$", answer.Document.Root.Element(QueryAnswer.Iam + "ResponseMetadata")!.Element(QueryAnswer.Iam + "RequestId")!.Value);
    }

    [Fact]
    public async Task A_wrong_secret_is_SignatureDoesNotMatch()
        => AssertError(await Aws.IamAsAsync(new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, new string('x', 40)), "ListRoles"), "SignatureDoesNotMatch", HttpStatusCode.Forbidden);

    [Fact]
    public async Task An_unknown_key_is_InvalidClientTokenId()
        => AssertError(await Aws.IamAsAsync(new BasicAWSCredentials("AKIAUNKNOWNKEY000000", new string('x', 40)), "ListRoles"), "InvalidClientTokenId", HttpStatusCode.Forbidden);

    [Fact]
    public async Task A_signature_older_than_15_minutes_is_expired_with_AWS_wording()
    {
        var signedAt = DateTime.UtcNow.AddMinutes(-20);
        var answer = await Aws.CallAsync(Aws.IamUrl, "iam", "2010-05-08", new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret), "ListRoles", [], signedAt);

        AssertError(answer, "SignatureDoesNotMatch", HttpStatusCode.Forbidden);
        Assert.Matches(@"^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$", answer.ErrorMessage);
    }

    [Fact]
    public async Task An_unsigned_IAM_call_is_refused()
        => AssertError(await Aws.CallAsync(Aws.IamUrl, "iam", "2010-05-08", null, "ListRoles", []), "MissingAuthenticationToken", HttpStatusCode.Forbidden);

    [Fact]
    public async Task A_key_signed_for_another_service_is_refused()
    {
        var answer = await Aws.CallAsync(Aws.IamUrl, "sts", "2010-05-08", new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret), "ListRoles", []);
        AssertError(answer, "SignatureDoesNotMatch", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unknown_action_is_InvalidAction()
        => AssertError(await Aws.IamAsync("CreateGroupOfDoom"), "InvalidAction", HttpStatusCode.BadRequest);

    [Fact]
    public async Task Provisioning_user_without_iam_ListRoles_gets_AccessDenied_until_its_policy_allows_it()
    {
        // The source article's first attempt: S3 and EC2 actions instead of iam:ListRoles.
        var (keyId, secret) = await CreateUserWithKeyAsync("prov-wrong",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject","ec2:DescribeInstances"],"Resource":"*"}]}""");
        var credentials = new BasicAWSCredentials(keyId, secret);

        var denied = await Aws.IamAsAsync(credentials, "ListRoles");
        AssertError(denied, "AccessDenied", HttpStatusCode.Forbidden);
        Assert.Equal(
            "User: arn:aws:iam::111122223333:user/prov-wrong is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::111122223333:role/ because no identity-based policy allows the iam:ListRoles action",
            denied.ErrorMessage);

        var simulated = await Aws.IamAsync("SimulatePrincipalPolicy", ("PolicySourceArn", "arn:aws:iam::111122223333:user/prov-wrong"),
            ("ActionNames.member.1", "iam:ListRoles"), ("ActionNames.member.2", "s3:GetObject"));
        Assert.Equal(["implicitDeny", "allowed"], simulated.Document.Descendants(QueryAnswer.Iam + "EvalDecision").Select(e => e.Value));

        await Aws.IamAsync("PutUserPolicy", ("UserName", "prov-wrong"), ("PolicyName", "p"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}"""));
        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsAsync(credentials, "ListRoles")).Status);
    }

    [Fact]
    public async Task Explicit_deny_wins_and_wildcards_and_NotAction_are_honoured()
    {
        var (keyId, secret) = await CreateUserWithKeyAsync("prov-deny",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"iam:List*Users","Resource":"*"},{"Effect":"Deny","Action":"iam:GetRole","Resource":"arn:aws:iam::111122223333:role/Secret*"}]}""");
        var credentials = new BasicAWSCredentials(keyId, secret);
        await Aws.IamAsync("CreateRole", ("RoleName", "SecretRole"), ("AssumeRolePolicyDocument", AnyTrust));
        await Aws.IamAsync("CreateRole", ("RoleName", "PublicRole"), ("AssumeRolePolicyDocument", AnyTrust));

        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsAsync(credentials, "ListRoles")).Status);
        AssertError(await Aws.IamAsAsync(credentials, "ListUsers"), "AccessDenied", HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsAsync(credentials, "GetRole", ("RoleName", "PublicRole"))).Status);
        var denied = await Aws.IamAsAsync(credentials, "GetRole", ("RoleName", "SecretRole"));
        AssertError(denied, "AccessDenied", HttpStatusCode.Forbidden);
        Assert.EndsWith("with an explicit deny in an identity-based policy", denied.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100", "Member must have value greater than or equal to 3600")]
    [InlineData("50000", "Member must have value less than or equal to 43200")]
    public async Task MaxSessionDuration_outside_3600_to_43200_is_ValidationError(string value, string constraint)
    {
        var answer = await Aws.IamAsync("CreateRole", ("RoleName", "Durations" + value), ("AssumeRolePolicyDocument", AnyTrust), ("MaxSessionDuration", value));
        AssertError(answer, "ValidationError", HttpStatusCode.BadRequest);
        Assert.Equal($"1 validation error detected: Value '{value}' at 'maxSessionDuration' failed to satisfy constraint: {constraint}", answer.ErrorMessage);
    }

    [Fact]
    public async Task Names_longer_than_allowed_are_ValidationError()
        => AssertError(await Aws.IamAsync("CreateRole", ("RoleName", new string('r', 65)), ("AssumeRolePolicyDocument", AnyTrust)), "ValidationError", HttpStatusCode.BadRequest);

    [Fact]
    public async Task A_trust_policy_naming_a_missing_provider_or_an_identity_policy_with_a_principal_is_malformed()
    {
        AssertError(await Aws.IamAsync("CreateRole", ("RoleName", "NoProvider"), ("AssumeRolePolicyDocument", SandboxAwsClient.TrustPolicy("arn:aws:iam::111122223333:saml-provider/Missing"))),
            "MalformedPolicyDocument", HttpStatusCode.BadRequest);
        AssertError(await Aws.IamAsync("CreatePolicy", ("PolicyName", "WithPrincipal"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}""")),
            "MalformedPolicyDocument", HttpStatusCode.BadRequest);
        AssertError(await Aws.IamAsync("CreatePolicy", ("PolicyName", "NotJson"), ("PolicyDocument", "{not json")), "MalformedPolicyDocument", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_role_takes_at_most_10_managed_policies()
    {
        await Aws.IamAsync("CreateRole", ("RoleName", "Crowded"), ("AssumeRolePolicyDocument", AnyTrust));
        for (var i = 0; i < 10; i++)
        {
            var created = await Aws.IamAsync("CreatePolicy", ("PolicyName", $"crowd{i}"), ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"""));
            Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsync("AttachRolePolicy", ("RoleName", "Crowded"), ("PolicyArn", created.Value("Arn")!))).Status);
        }

        AssertError(await Aws.IamAsync("AttachRolePolicy", ("RoleName", "Crowded"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")), "LimitExceeded", HttpStatusCode.Conflict);
        AssertError(await Aws.IamAsync("DeletePolicy", ("PolicyArn", "arn:aws:iam::111122223333:policy/crowd0")), "DeleteConflict", HttpStatusCode.Conflict);
        var entities = await Aws.IamAsync("ListEntitiesForPolicy", ("PolicyArn", "arn:aws:iam::111122223333:policy/crowd0"));
        Assert.Equal("Crowded", entities.Value("RoleName"));
    }

    [Fact]
    public async Task Lists_page_with_Marker_and_MaxItems()
    {
        for (var i = 0; i < 3; i++)
        {
            await Aws.IamAsync("CreateUser", ("UserName", $"pager{i}"), ("Path", "/paging/"));
        }

        var names = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            (string, string)[] parameters = marker is null ? [("PathPrefix", "/paging/"), ("MaxItems", "2")] : [("PathPrefix", "/paging/"), ("MaxItems", "2"), ("Marker", marker)];
            var page = await Aws.IamAsync("ListUsers", parameters);
            names.AddRange(page.Document.Descendants(QueryAnswer.Iam + "UserName").Select(e => e.Value));
            marker = page.Value("IsTruncated") == "true" ? page.Value("Marker") : null;
            pages++;
        }
        while (marker is not null);

        Assert.Equal(["pager0", "pager1", "pager2"], names);
        Assert.Equal(2, pages);
        AssertError(await Aws.IamAsync("ListUsers", ("Marker", "bm90LWEtbWFya2Vy")), "InvalidInput", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Policy_documents_come_back_url_encoded_as_IAM_returns_them()
    {
        await Aws.IamAsync("CreateRole", ("RoleName", "Encoded"), ("AssumeRolePolicyDocument", AnyTrust));
        var answer = await Aws.IamAsync("GetRole", ("RoleName", "Encoded"));
        Assert.Equal(Uri.EscapeDataString(AnyTrust), answer.Value("AssumeRolePolicyDocument"));
    }

    [Fact]
    public async Task SAML_metadata_is_checked_as_IAM_checks_it_and_can_be_replaced()
    {
        using var idp = new FederationPortal.Tests.Saml.TestIdentityProvider();
        using var weak = new FederationPortal.Tests.Saml.TestIdentityProvider(keySize: 512);
        var metadata = idp.Metadata(new DateTimeOffset(2029, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var tooShort = await Aws.IamAsync("CreateSAMLProvider", ("Name", "Short"), ("SAMLMetadataDocument", "<EntityDescriptor/>"));
        AssertError(tooShort, "ValidationError", HttpStatusCode.BadRequest);
        Assert.Contains("Member must have length greater than or equal to 1000", tooShort.ErrorMessage, StringComparison.Ordinal);
        AssertError(await Aws.IamAsync("CreateSAMLProvider", ("Name", "Bom"), ("SAMLMetadataDocument", "\uFEFF" + metadata)), "InvalidInput", HttpStatusCode.BadRequest);
        AssertError(await Aws.IamAsync("CreateSAMLProvider", ("Name", "Weak"), ("SAMLMetadataDocument", weak.Metadata())), "InvalidInput", HttpStatusCode.BadRequest);
        AssertError(await Aws.IamAsync("CreateSAMLProvider", ("Name", "bad/name"), ("SAMLMetadataDocument", metadata)), "ValidationError", HttpStatusCode.BadRequest);

        var created = await Aws.IamAsync("CreateSAMLProvider", ("Name", "Replaceable"), ("SAMLMetadataDocument", metadata), ("Tags.member.1.Key", "owner"), ("Tags.member.1.Value", "portal"));
        var arn = created.Value("SAMLProviderArn")!;
        Assert.Equal("arn:aws:iam::111122223333:saml-provider/Replaceable", arn);
        AssertError(await Aws.IamAsync("CreateSAMLProvider", ("Name", "Replaceable"), ("SAMLMetadataDocument", metadata)), "EntityAlreadyExists", HttpStatusCode.Conflict);
        Assert.Equal("2029-06-01T00:00:00Z", (await Aws.IamAsync("GetSAMLProvider", ("SAMLProviderArn", arn))).Value("ValidUntil"));

        using var rotated = new FederationPortal.Tests.Saml.TestIdentityProvider();
        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsync("UpdateSAMLProvider", ("SAMLProviderArn", arn), ("SAMLMetadataDocument", rotated.Metadata(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero))))).Status);
        Assert.Equal("2031-01-01T00:00:00Z", (await Aws.IamAsync("GetSAMLProvider", ("SAMLProviderArn", arn))).Value("ValidUntil"));

        await Aws.IamAsync("TagSAMLProvider", ("SAMLProviderArn", arn), ("Tags.member.1.Key", "env"), ("Tags.member.1.Value", "sandbox"));
        await Aws.IamAsync("UntagSAMLProvider", ("SAMLProviderArn", arn), ("TagKeys.member.1", "owner"));
        var tags = await Aws.IamAsync("ListSAMLProviderTags", ("SAMLProviderArn", arn));
        Assert.Equal(["env"], tags.Document.Descendants(QueryAnswer.Iam + "Key").Select(k => k.Value));

        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsync("DeleteSAMLProvider", ("SAMLProviderArn", arn))).Status);
        AssertError(await Aws.IamAsync("GetSAMLProvider", ("SAMLProviderArn", arn)), "NoSuchEntity", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Access_keys_can_be_deactivated_and_an_inactive_key_no_longer_signs()
    {
        var (keyId, secret) = await CreateUserWithKeyAsync("rotating", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}""");
        var credentials = new BasicAWSCredentials(keyId, secret);
        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsAsync(credentials, "ListRoles")).Status);

        await Aws.IamAsync("UpdateAccessKey", ("UserName", "rotating"), ("AccessKeyId", keyId), ("Status", "Inactive"));
        Assert.Equal("Inactive", (await Aws.IamAsync("ListAccessKeys", ("UserName", "rotating"))).Value("Status"));
        AssertError(await Aws.IamAsAsync(credentials, "ListRoles"), "InvalidClientTokenId", HttpStatusCode.Forbidden);
        AssertError(await Aws.IamAsync("DeleteAccessKey", ("UserName", "rotating"), ("AccessKeyId", "AKIANOTAREALKEY00000")), "NoSuchEntity", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Role_updates_and_tags_round_trip()
    {
        await Aws.IamAsync("CreateRole", ("RoleName", "Updatable"), ("AssumeRolePolicyDocument", AnyTrust));
        Assert.Equal(HttpStatusCode.OK, (await Aws.IamAsync("UpdateRole", ("RoleName", "Updatable"), ("Description", "new"), ("MaxSessionDuration", "43200"))).Status);
        await Aws.IamAsync("TagRole", ("RoleName", "Updatable"), ("Tags.member.1.Key", "a"), ("Tags.member.1.Value", "1"), ("Tags.member.2.Key", "b"), ("Tags.member.2.Value", "2"));
        await Aws.IamAsync("UntagRole", ("RoleName", "Updatable"), ("TagKeys.member.1", "a"));
        var role = await Aws.IamAsync("GetRole", ("RoleName", "updatable"));
        Assert.Equal("new", role.Value("Description"));
        Assert.Equal("43200", role.Value("MaxSessionDuration"));
        Assert.Equal(["b"], role.Document.Descendants(QueryAnswer.Iam + "Key").Select(k => k.Value));
        AssertError(await Aws.IamAsync("UpdateAssumeRolePolicy", ("RoleName", "Updatable"), ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Principal":"*"}]}""")),
            "MalformedPolicyDocument", HttpStatusCode.BadRequest);
    }
}
