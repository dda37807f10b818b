using System.Text.Json;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.TestSupport;
using FederationPortal.Tests.Saml;

namespace FederationPortal.Sandbox.Tests.Aws;

/// <summary>The real AWS CLI v2 against the sandbox: if it cannot tell the difference for our operations, neither can the SDKs.</summary>
public sealed class AwsCliRoundTripTests : IAsyncLifetime
{
    private const string Admin = SandboxAwsClient.AdminKeyId;
    private readonly EmulatorHost host = new();
    private readonly TestIdentityProvider idp = new();
    private readonly string workDirectory = Directory.CreateTempSubdirectory("fp-cli").FullName;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        idp.Dispose();
        Directory.Delete(workDirectory, recursive: true);
        await host.DisposeAsync();
    }

    private string IamUrl => host.BaseAddress + "/sandbox/aws/iam";

    private string StsUrl => host.BaseAddress + "/sandbox/aws/sts";

    private static void SkipWithoutCli()
    {
        if (!System.IO.File.Exists(SandboxAwsClient.AwsCli))
        {
            Assert.Skip("The AWS CLI v2 (/usr/bin/aws, Debian package awscli) is not installed; scripts/test.sh installs it.");
        }
    }

    private async Task<JsonElement> Iam(params string[] arguments) => await Ok(IamUrl, (Admin, SandboxAwsClient.AdminSecret, null), ["iam", .. arguments]);

    private static async Task<JsonElement> Ok(string url, (string, string, string?) credentials, string[] arguments)
    {
        var (exit, stdout, stderr) = await SandboxAwsClient.RunCliAsync(url, credentials, arguments);
        Assert.True(exit == 0, $"aws {string.Join(' ', arguments)} failed ({exit}): {stderr}");
        return stdout.Trim().Length == 0 ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private async Task<string> IamError(params string[] arguments) => await Error(IamUrl, (Admin, SandboxAwsClient.AdminSecret, null), ["iam", .. arguments]);

    private static async Task<string> Error(string url, (string, string, string?) credentials, string[] arguments)
    {
        var (exit, _, stderr) = await SandboxAwsClient.RunCliAsync(url, credentials, arguments);
        Assert.True(exit != 0, $"aws {string.Join(' ', arguments)} should have failed");
        return stderr;
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(workDirectory, name);
        System.IO.File.WriteAllText(path, content);
        return "file://" + path;
    }

    [Fact]
    public async Task Provider_role_user_key_saml_sign_in_and_teardown_round_trip()
    {
        SkipWithoutCli();
        var metadata = File("metadata.xml", idp.Metadata(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        // SAML provider
        var providerArn = (await Iam("create-saml-provider", "--name", "Entra", "--saml-metadata-document", metadata)).GetProperty("SAMLProviderArn").GetString()!;
        Assert.Equal("arn:aws:iam::111122223333:saml-provider/Entra", providerArn);
        var provider = await Iam("get-saml-provider", "--saml-provider-arn", providerArn);
        Assert.StartsWith("2030-01-01T00:00:00", provider.GetProperty("ValidUntil").GetString(), StringComparison.Ordinal);
        Assert.Contains(idp.EntityId, provider.GetProperty("SAMLMetadataDocument").GetString(), StringComparison.Ordinal);
        Assert.Single((await Iam("list-saml-providers")).GetProperty("SAMLProviderList").EnumerateArray());

        // Role with trust policy, managed and inline policies
        var trust = File("trust.json", SandboxAwsClient.TrustPolicy(providerArn));
        var role = (await Iam("create-role", "--role-name", "EntraAdmins", "--assume-role-policy-document", trust, "--max-session-duration", "7200",
            "--description", "Entra admins", "--tags", "Key=owner,Value=portal")).GetProperty("Role");
        Assert.Matches("^AROA[A-Z0-9]{17}$", role.GetProperty("RoleId").GetString());
        Assert.Equal("arn:aws:iam::111122223333:role/EntraAdmins", role.GetProperty("Arn").GetString());
        Assert.Equal("sts:AssumeRoleWithSAML", role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Action").GetString());
        await Iam("attach-role-policy", "--role-name", "EntraAdmins", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        Assert.Equal("ReadOnlyAccess", (await Iam("list-attached-role-policies", "--role-name", "EntraAdmins")).GetProperty("AttachedPolicies")[0].GetProperty("PolicyName").GetString());
        await Iam("put-role-policy", "--role-name", "EntraAdmins", "--policy-name", "extra",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}""");
        Assert.Equal("iam:ListRoles", (await Iam("get-role-policy", "--role-name", "EntraAdmins", "--policy-name", "extra")).GetProperty("PolicyDocument").GetProperty("Statement")[0].GetProperty("Action").GetString());
        Assert.Equal(["extra"], (await Iam("list-role-policies", "--role-name", "EntraAdmins")).GetProperty("PolicyNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("portal", (await Iam("list-role-tags", "--role-name", "EntraAdmins")).GetProperty("Tags")[0].GetProperty("Value").GetString());

        // Provisioning user with an inline policy and an access key
        Assert.Matches("^AIDA", (await Iam("create-user", "--user-name", "entra-provisioning")).GetProperty("User").GetProperty("UserId").GetString());
        await Iam("put-user-policy", "--user-name", "entra-provisioning", "--policy-name", "list-roles",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}""");
        var key = (await Iam("create-access-key", "--user-name", "entra-provisioning")).GetProperty("AccessKey");
        var keyId = key.GetProperty("AccessKeyId").GetString()!;
        Assert.Matches("^AKIA[A-Z0-9]{16}$", keyId);
        Assert.Equal(keyId, (await Iam("list-access-keys", "--user-name", "entra-provisioning")).GetProperty("AccessKeyMetadata")[0].GetProperty("AccessKeyId").GetString());
        var provisioning = (keyId, key.GetProperty("SecretAccessKey").GetString()!, (string?)null);
        Assert.Single((await Ok(IamUrl, provisioning, ["iam", "list-roles"])).GetProperty("Roles").EnumerateArray());
        Assert.Single((await Ok(IamUrl, provisioning, ["iam", "list-account-aliases"])).GetProperty("AccountAliases").EnumerateArray());
        Assert.Contains("(AccessDenied)", await Error(IamUrl, provisioning, ["iam", "list-users"]), StringComparison.Ordinal);
        Assert.Equal("arn:aws:iam::111122223333:user/entra-provisioning", (await Ok(StsUrl, provisioning, ["sts", "get-caller-identity"])).GetProperty("Arn").GetString());

        // Paginated lists: the CLI follows Marker; --max-items hands out a NextToken
        foreach (var name in new[] { "Paged1", "Paged2", "Paged3" })
        {
            await Iam("create-role", "--role-name", name, "--assume-role-policy-document", trust);
        }

        Assert.Equal(4, (await Iam("list-roles", "--page-size", "1")).GetProperty("Roles").GetArrayLength());
        var firstPage = await Iam("list-roles", "--max-items", "2", "--page-size", "2");
        Assert.Equal(2, firstPage.GetProperty("Roles").GetArrayLength());
        var rest = await Iam("list-roles", "--starting-token", firstPage.GetProperty("NextToken").GetString()!, "--page-size", "2");
        Assert.Equal(2, rest.GetProperty("Roles").GetArrayLength());

        // SAML sign-in, then the temporary credentials
        var assertion = idp.Response(new TestSamlResponse { Roles = ["arn:aws:iam::111122223333:role/EntraAdmins," + providerArn], Now = DateTimeOffset.UtcNow, SessionDuration = null });
        var session = await Ok(StsUrl, (Admin, SandboxAwsClient.AdminSecret, null),
            ["sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::111122223333:role/EntraAdmins", "--principal-arn", providerArn, "--saml-assertion", assertion, "--duration-seconds", "7200"]);
        var credentials = session.GetProperty("Credentials");
        Assert.Matches("^ASIA", credentials.GetProperty("AccessKeyId").GetString());
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/EntraAdmins/alice@contoso.example", session.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
        var temporary = (credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, credentials.GetProperty("SessionToken").GetString());
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/EntraAdmins/alice@contoso.example", (await Ok(StsUrl, temporary, ["sts", "get-caller-identity"])).GetProperty("Arn").GetString());
        Assert.Equal(4, (await Ok(IamUrl, temporary, ["iam", "list-roles"])).GetProperty("Roles").GetArrayLength());

        // Error cases, as AWS answers them
        Assert.Contains("(NoSuchEntity)", await IamError("get-role", "--role-name", "Nope"), StringComparison.Ordinal);
        Assert.Contains("(EntityAlreadyExists)", await IamError("create-role", "--role-name", "entraadmins", "--assume-role-policy-document", trust), StringComparison.Ordinal);
        Assert.Contains("(DeleteConflict)", await IamError("delete-role", "--role-name", "EntraAdmins"), StringComparison.Ordinal);
        Assert.Contains("(DeleteConflict)", await IamError("delete-user", "--user-name", "entra-provisioning"), StringComparison.Ordinal);
        Assert.Contains("(MalformedPolicyDocument)", await IamError("put-user-policy", "--user-name", "entra-provisioning", "--policy-name", "bad", "--policy-document", """{"Statement":[{"Effect":"Allow","Action":"iam:ListRoles"}]}"""), StringComparison.Ordinal);
        Assert.Contains("(InvalidInput)", await IamError("create-saml-provider", "--name", "Bad", "--saml-metadata-document", File("bad.xml", "<html>" + new string('x', 1200) + "</html>")), StringComparison.Ordinal);
        Assert.Contains("(ValidationError)", await IamError("create-user", "--user-name", "bad name"), StringComparison.Ordinal);
        await Iam("create-access-key", "--user-name", "entra-provisioning");
        Assert.Contains("(LimitExceeded)", await IamError("create-access-key", "--user-name", "entra-provisioning"), StringComparison.Ordinal);

        // Teardown
        await Iam("detach-role-policy", "--role-name", "EntraAdmins", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        await Iam("delete-role-policy", "--role-name", "EntraAdmins", "--policy-name", "extra");
        foreach (var name in new[] { "EntraAdmins", "Paged1", "Paged2", "Paged3" })
        {
            await Iam("delete-role", "--role-name", name);
        }

        foreach (var metadataKey in (await Iam("list-access-keys", "--user-name", "entra-provisioning")).GetProperty("AccessKeyMetadata").EnumerateArray())
        {
            await Iam("delete-access-key", "--user-name", "entra-provisioning", "--access-key-id", metadataKey.GetProperty("AccessKeyId").GetString()!);
        }

        await Iam("delete-user-policy", "--user-name", "entra-provisioning", "--policy-name", "list-roles");
        await Iam("delete-user", "--user-name", "entra-provisioning");
        await Iam("delete-saml-provider", "--saml-provider-arn", providerArn);
        Assert.Empty((await Iam("list-roles")).GetProperty("Roles").EnumerateArray());
        Assert.Empty((await Iam("list-users")).GetProperty("Users").EnumerateArray());
        Assert.Empty((await Iam("list-saml-providers")).GetProperty("SAMLProviderList").EnumerateArray());
        Assert.Contains("(InvalidClientTokenId)", await Error(IamUrl, provisioning, ["iam", "list-roles"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Managed_policies_are_listed_with_their_real_arns_and_documents()
    {
        SkipWithoutCli();
        var policies = (await Iam("list-policies", "--scope", "AWS")).GetProperty("Policies").EnumerateArray().Select(p => p.GetProperty("Arn").GetString()).ToList();
        Assert.Contains("arn:aws:iam::aws:policy/AdministratorAccess", policies);
        Assert.Contains("arn:aws:iam::aws:policy/job-function/Billing", policies);
        Assert.Contains("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", policies);
        var version = (await Iam("get-policy-version", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess", "--version-id", "v1")).GetProperty("PolicyVersion");
        Assert.Equal("*", version.GetProperty("Document").GetProperty("Statement")[0].GetProperty("Action").GetString());
    }
}
