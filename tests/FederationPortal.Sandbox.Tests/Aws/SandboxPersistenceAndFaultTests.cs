using System.Net;
using Amazon.Runtime;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.TestSupport;

namespace FederationPortal.Sandbox.Tests.Aws;

public sealed class SandboxPersistenceAndFaultTests
{
    [Fact]
    public async Task A_restart_keeps_roles_users_providers_and_keys()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fp-tests", "restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            string keyId, secret;
            using var idp = new FederationPortal.Tests.Saml.TestIdentityProvider();
            await using (var first = new EmulatorHost(dataDirectory: directory))
            {
                var aws = new SandboxAwsClient(first);
                Assert.Equal(HttpStatusCode.OK, (await aws.IamAsync("CreateSAMLProvider", ("Name", "Kept"), ("SAMLMetadataDocument", idp.Metadata()))).Status);
                Assert.Equal(HttpStatusCode.OK, (await aws.IamAsync("CreateRole", ("RoleName", "KeptRole"), ("AssumeRolePolicyDocument", SandboxAwsClient.TrustPolicy("arn:aws:iam::111122223333:saml-provider/Kept")))).Status);
                await aws.IamAsync("AttachRolePolicy", ("RoleName", "KeptRole"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
                await aws.IamAsync("CreateUser", ("UserName", "kept-user"));
                await aws.IamAsync("PutUserPolicy", ("UserName", "kept-user"), ("PolicyName", "p"), ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}"""));
                var key = await aws.IamAsync("CreateAccessKey", ("UserName", "kept-user"));
                (keyId, secret) = (key.Value("AccessKeyId")!, key.Value("SecretAccessKey")!);
            }

            await using var second = new EmulatorHost(dataDirectory: directory);
            var again = new SandboxAwsClient(second);
            var role = await again.IamAsync("GetRole", ("RoleName", "KeptRole"));
            Assert.Equal(HttpStatusCode.OK, role.Status);
            Assert.Equal("arn:aws:iam::aws:policy/ReadOnlyAccess", (await again.IamAsync("ListAttachedRolePolicies", ("RoleName", "KeptRole"))).Value("PolicyArn"));
            Assert.Equal(HttpStatusCode.OK, (await again.IamAsync("GetSAMLProvider", ("SAMLProviderArn", "arn:aws:iam::111122223333:saml-provider/Kept"))).Status);
            var asUser = await again.IamAsAsync(new BasicAWSCredentials(keyId, secret), "ListRoles");
            Assert.Equal(HttpStatusCode.OK, asUser.Status);
            Assert.Equal("KeptRole", asUser.Value("RoleName"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }

    [Fact]
    public async Task Configured_faults_answer_Throttling_and_server_errors()
    {
        await using (var throttled = new EmulatorHost(new Dictionary<string, string?> { ["Sandbox:Faults:ThrottleRate"] = "1", ["Sandbox:Faults:LatencyMilliseconds"] = "300" }))
        {
            var aws = new SandboxAwsClient(throttled);
            _ = throttled.BaseAddress;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var answer = await aws.IamAsync("ListRoles");
            Assert.True(started.ElapsedMilliseconds >= 300, $"answered after {started.ElapsedMilliseconds} ms");
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("Throttling", answer.ErrorCode);
            Assert.Equal("Rate exceeded", answer.ErrorMessage);
        }

        await using var failing = new EmulatorHost(new Dictionary<string, string?> { ["Sandbox:Faults:ServerErrorRate"] = "1" });
        var codes = new HashSet<string>();
        for (var i = 0; i < 8; i++)
        {
            var answer = await new SandboxAwsClient(failing).IamAsync("ListRoles");
            Assert.True(answer.Status is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Receiver", answer.Value("Type"));
            codes.Add(answer.ErrorCode!);
        }

        Assert.Subset(new HashSet<string> { "ServiceFailure", "ServiceUnavailable" }, codes);
    }
}
