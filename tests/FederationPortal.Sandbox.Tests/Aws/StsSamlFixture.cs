using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.TestSupport;
using FederationPortal.Tests.Saml;

namespace FederationPortal.Sandbox.Tests.Aws;

/// <summary>One portal for a test class, with a SAML provider (Entra-shaped test IdP) and roles trusting it.</summary>
public sealed class StsSamlFixture : IAsyncLifetime
{
    public const string ProviderName = "EntraSandbox";
    public const string OtherProviderName = "OtherIdp";

    public EmulatorHost Host { get; } = new();

    public TestIdentityProvider Idp { get; } = new();

    public TestIdentityProvider OtherIdp { get; } = new("https://sts.windows.net/00000000-0000-0000-0000-000000000001/");

    public SandboxAwsClient Aws => new(Host);

    public string ProviderArn => $"arn:aws:iam::{SandboxAwsClient.Account}:saml-provider/{ProviderName}";

    public string OtherProviderArn => $"arn:aws:iam::{SandboxAwsClient.Account}:saml-provider/{OtherProviderName}";

    public static string RoleArn(string name) => $"arn:aws:iam::{SandboxAwsClient.Account}:role/{name}";

    public async ValueTask InitializeAsync()
    {
        await Ok(Aws.IamAsync("CreateSAMLProvider", ("Name", ProviderName), ("SAMLMetadataDocument", Idp.Metadata())));
        await Ok(Aws.IamAsync("CreateSAMLProvider", ("Name", OtherProviderName), ("SAMLMetadataDocument", OtherIdp.Metadata())));
        await CreateRoleAsync("EntraAdmins", SandboxAwsClient.TrustPolicy(ProviderArn));
        await CreateRoleAsync("OtherProviderOnly", SandboxAwsClient.TrustPolicy(OtherProviderArn));
        await CreateRoleAsync("WrongAction", SandboxAwsClient.TrustPolicy(ProviderArn, action: "sts:AssumeRoleWithWebIdentity"));
        await CreateRoleAsync("WrongAudience", SandboxAwsClient.TrustPolicy(ProviderArn, audience: "https://signin.aws.amazon.com/saml#2"));
        await Ok(Aws.IamAsync("PutRolePolicy", ("RoleName", "EntraAdmins"), ("PolicyName", "ListRoles"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:GetRole"],"Resource":"*"}]}""")));
    }

    public async Task CreateRoleAsync(string name, string trust, int? maxSessionDuration = null)
    {
        var parameters = new List<(string, string)> { ("RoleName", name), ("AssumeRolePolicyDocument", trust) };
        if (maxSessionDuration is { } max)
        {
            parameters.Add(("MaxSessionDuration", max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await Ok(Aws.IamAsync("CreateRole", [.. parameters]));
    }

    public async ValueTask DisposeAsync()
    {
        Idp.Dispose();
        OtherIdp.Dispose();
        await Host.DisposeAsync();
    }

    private static async Task Ok(Task<QueryAnswer> call)
    {
        var answer = await call;
        Assert.True(answer.Status == System.Net.HttpStatusCode.OK, answer.Document.ToString());
    }
}
