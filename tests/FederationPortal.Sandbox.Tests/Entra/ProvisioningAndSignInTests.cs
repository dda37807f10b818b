using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Sandbox.Tests.Entra;

/// <summary>
/// The emulated Entra's AWS provisioning connector against the sandbox IAM (real SigV4 calls with the admin's key),
/// and the whole chain: sandbox user → SAML response → sandbox STS AssumeRoleWithSAML → temporary credentials.
/// </summary>
public sealed partial class ProvisioningAndSignInTests(EntraSandboxFixture fixture) : IClassFixture<EntraSandboxFixture>
{
    private const string AdminsGroup = "7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c01";
    private const string Diego = "3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IAwsIam Iam => fixture.Host.Services.GetRequiredService<IAwsIam>();

    private IEntraDirectoryService Entra => fixture.Entra;

    [Fact]
    public async Task A_provisioning_key_without_iam_ListRoles_fails_Test_Connection_and_a_right_one_passes()
    {
        var app = await fixture.CreateSamlAppAsync("AWS TestConnection", "https://signin.aws.amazon.com/saml#31", Ct);
        var job = await Entra.CreateSynchronizationJobAsync(app.ServicePrincipalId, "aws", Ct);
        Assert.StartsWith("aws.", job.Id);

        var wrong = await ProvisioningKeyAsync("entra-wrong", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject","ec2:DescribeInstances"],"Resource":"*"}]}""");
        var refused = await Assert.ThrowsAsync<EntraServiceException>(() =>
            Entra.ValidateSynchronizationCredentialsAsync(app.ServicePrincipalId, job.Id, wrong.AccessKeyId, wrong.SecretAccessKey, Ct));
        Assert.Equal("CredentialValidationFailed", refused.Code);
        Assert.Contains("AccessDenied", refused.Message);
        Assert.Contains("iam:ListRoles", refused.Message);

        var bogus = await Assert.ThrowsAsync<EntraServiceException>(() =>
            Entra.ValidateSynchronizationCredentialsAsync(app.ServicePrincipalId, job.Id, "AKIAIOSFODNN7EXAMPLE", "not-the-secret-not-the-secret-not-the-sec", Ct));
        Assert.Equal("CredentialValidationFailed", bogus.Code);

        var right = await ProvisioningKeyAsync("entra-right", ProvisioningPolicy);
        await Entra.ValidateSynchronizationCredentialsAsync(app.ServicePrincipalId, job.Id, right.AccessKeyId, right.SecretAccessKey, Ct);
    }

    [Fact]
    public async Task A_provisioning_run_imports_only_eligible_roles_and_disables_roles_that_disappeared()
    {
        var app = await fixture.CreateSamlAppAsync("AWS Import", "https://signin.aws.amazon.com/saml#32", Ct);
        var metadata = await Entra.GetFederationMetadataAsync(app.AppId, Ct);
        var provider = await Iam.CreateSamlProviderAsync("EntraImport", metadata.Xml, cancellationToken: Ct);
        var other = await Iam.CreateSamlProviderAsync("OtherIdp", metadata.Xml, cancellationToken: Ct);

        var eligible = await Iam.CreateRoleAsync(new CreateRoleRequest("ImportAdmin", TrustPolicy(provider)), Ct);
        var twoProviders = await Iam.CreateRoleAsync(new CreateRoleRequest("ImportTwoIdps", TrustPolicy(provider, other)), Ct);
        var longPath = "/" + string.Join('/', Enumerable.Repeat(new string('p', 40), 4)) + "/";
        var tooLong = await Iam.CreateRoleAsync(new CreateRoleRequest("ImportTooLong", TrustPolicy(provider)) { Path = longPath }, Ct);
        Assert.True($"{tooLong.Arn},{provider}".Length >= 240);
        await Iam.CreateRoleAsync(new CreateRoleRequest("ImportEc2", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""), Ct);

        var key = await ProvisioningKeyAsync("entra-import", ProvisioningPolicy);
        await Entra.SaveSynchronizationSecretsAsync(app.ServicePrincipalId, key.AccessKeyId, key.SecretAccessKey, Ct);
        var job = await Entra.CreateSynchronizationJobAsync(app.ServicePrincipalId, EntraWellKnown.AwsSynchronizationTemplateId, Ct);
        await Entra.StartSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct);
        var first = await UntilRunsAsync(app.ServicePrincipalId, job.Id, 1);
        Assert.Equal("Succeeded", first.LastExecutionState);
        Assert.Equal("Active", first.StatusCode);

        // Other tests in this class share the sandbox account; the connector imports their SAML roles too, as the
        // real one does for every role in the account. Only the roles trusting this test's providers are ours.
        var imported = (await Entra.GetAppRolesAsync(app.ServicePrincipalId, Ct))
            .Where(r => r.Value?.Contains(",arn:aws:iam::", StringComparison.Ordinal) == true)
            .Where(r => r.Value!.Contains("/Import", StringComparison.Ordinal))
            .ToList();
        var role = Assert.Single(imported);
        Assert.Equal($"{eligible.Arn},{provider}", role.Value);
        Assert.Equal("ImportAdmin,EntraImport", role.DisplayName);
        Assert.True(role.IsEnabled);
        Assert.DoesNotContain(imported, r => r.Value!.Contains(twoProviders.Arn, StringComparison.Ordinal));

        // The role disappears from AWS: the next cycle disables its app role (it cannot be removed while enabled).
        await Iam.DeleteRoleAsync("ImportAdmin", Ct);
        await Entra.StartSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct);
        await UntilRunsAsync(app.ServicePrincipalId, job.Id, 2);
        Assert.False(Assert.Single(await Entra.GetAppRolesAsync(app.ServicePrincipalId, Ct), r => r.Id == role.Id).IsEnabled);

        var runs = await Entra.ListProvisioningRunsAsync(app.ServicePrincipalId, Ct);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal("Success", r.Status));
        Assert.All(runs, r => Assert.Equal(job.Id, r.JobId));
    }

    [Fact]
    public async Task A_run_with_a_key_lacking_permissions_quarantines_the_job_and_logs_the_failure()
    {
        var app = await fixture.CreateSamlAppAsync("AWS Quarantine", "https://signin.aws.amazon.com/saml#33", Ct);
        var key = await ProvisioningKeyAsync("entra-quarantine", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}""");
        await Entra.SaveSynchronizationSecretsAsync(app.ServicePrincipalId, key.AccessKeyId, key.SecretAccessKey, Ct);
        var job = await Entra.CreateSynchronizationJobAsync(app.ServicePrincipalId, "aws", Ct);
        await Entra.StartSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct);
        var state = await UntilRunsAsync(app.ServicePrincipalId, job.Id, 1);
        Assert.Equal("Failed", state.LastExecutionState);
        Assert.Equal("Quarantine", state.StatusCode);
        Assert.True(state.Quarantined);
        var run = Assert.Single(await Entra.ListProvisioningRunsAsync(app.ServicePrincipalId, Ct));
        Assert.Equal("Failure", run.Status);
        Assert.Equal("AccessDenied", run.ErrorCode);

        // Deleting the app takes its provisioning job with it.
        await Entra.DeleteApplicationAsync(app.ApplicationId, Ct);
        Assert.Null(await Entra.GetSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct));
    }

    [Fact]
    public async Task A_deleted_provisioning_job_is_gone()
    {
        var app = await fixture.CreateSamlAppAsync("AWS DeleteJob", "https://signin.aws.amazon.com/saml#35", Ct);
        Assert.Equal(["aws"], await Entra.ListSynchronizationTemplateIdsAsync(app.ServicePrincipalId, Ct));
        var job = await Entra.CreateSynchronizationJobAsync(app.ServicePrincipalId, "aws", Ct);
        Assert.Equal("aws", (await Entra.GetSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct))!.TemplateId);
        await Entra.DeleteSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct);
        Assert.Null(await Entra.GetSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct));
    }

    [Fact]
    public async Task A_sandbox_user_assigned_to_an_imported_role_gets_AWS_credentials_for_that_role()
    {
        var app = await fixture.CreateSamlAppAsync("AWS EndToEnd", "https://signin.aws.amazon.com/saml#34", Ct);
        var metadata = await Entra.GetFederationMetadataAsync(app.AppId, Ct);
        var provider = await Iam.CreateSamlProviderAsync("EntraEndToEnd", metadata.Xml, cancellationToken: Ct);
        var role = await Iam.CreateRoleAsync(new CreateRoleRequest("EndToEndOps", TrustPolicy(provider)) { MaxSessionDuration = 7200 }, Ct);

        var key = await ProvisioningKeyAsync("entra-e2e", ProvisioningPolicy);
        await Entra.SaveSynchronizationSecretsAsync(app.ServicePrincipalId, key.AccessKeyId, key.SecretAccessKey, Ct);
        var job = await Entra.CreateSynchronizationJobAsync(app.ServicePrincipalId, "aws", Ct);
        await Entra.StartSynchronizationJobAsync(app.ServicePrincipalId, job.Id, Ct);
        await UntilRunsAsync(app.ServicePrincipalId, job.Id, 1);
        var appRole = Assert.Single(await Entra.GetAppRolesAsync(app.ServicePrincipalId, Ct), r => r.Value == $"{role.Arn},{provider}");
        await Entra.AssignAppRoleAsync(app.ServicePrincipalId, AdminsGroup, appRole.Id, Ct);

        using var client = fixture.Host.CreateRealClient();
        using var response = await client.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user={Diego}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var samlResponse = SamlResponseField().Match(await response.Content.ReadAsStringAsync(Ct)).Groups[1].Value;

        var sts = fixture.Host.Services.GetRequiredService<IAwsSts>();
        var session = await sts.AssumeRoleWithSamlAsync(role.Arn, provider, samlResponse, cancellationToken: Ct);
        Assert.StartsWith("ASIA", session.AccessKeyId);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/EndToEndOps/diego.siciliani@contoso.example", session.AssumedRoleArn);
        Assert.Equal($"https://sts.windows.net/{EntraSandboxFixture.TenantId}/", session.Issuer);
        var identity = await sts.GetCallerIdentityAsync(session.AccessKeyId, session.SecretAccessKey, session.SessionToken, Ct);
        Assert.Equal(session.AssumedRoleArn, identity.Arn);

        // After a certificate rollover that IAM was not told about, STS refuses the response.
        var second = await Entra.AddTokenSigningCertificateAsync(app.ServicePrincipalId, "CN=AWS EndToEnd 2", DateTimeOffset.UtcNow.AddYears(1), Ct);
        await Entra.SetPreferredTokenSigningThumbprintAsync(app.ServicePrincipalId, second.Thumbprint, Ct);
        using var rolled = await client.GetAsync($"sandbox/login/{EntraSandboxFixture.TenantId}/saml2?appid={app.AppId}&user={Diego}", Ct);
        var rolledResponse = SamlResponseField().Match(await rolled.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => sts.AssumeRoleWithSamlAsync(role.Arn, provider, rolledResponse, cancellationToken: Ct));
        Assert.Equal("InvalidIdentityToken", refused.Code);
    }

    private const string ProvisioningPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}""";

    private static string TrustPolicy(params string[] providers)
    {
        var federated = providers.Length == 1 ? $"\"{providers[0]}\"" : "[" + string.Join(',', providers.Select(p => $"\"{p}\"")) + "]";
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":" + federated
            + "},\"Action\":\"sts:AssumeRoleWithSAML\",\"Condition\":{\"StringEquals\":{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}}]}";
    }

    private async Task<IamAccessKey> ProvisioningKeyAsync(string userName, string policy)
    {
        await Iam.CreateUserAsync(userName, cancellationToken: Ct);
        await Iam.PutUserPolicyAsync(userName, "provisioning", policy, Ct);
        return await Iam.CreateAccessKeyAsync(userName, Ct);
    }

    /// <summary>Polls the job until its provisioning log holds <paramref name="runs"/> cycles (runs are asynchronous, as in Entra).</summary>
    private async Task<EntraSynchronizationJob> UntilRunsAsync(string spId, string jobId, int runs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var job = await Entra.GetSynchronizationJobAsync(spId, jobId, Ct);
            var logged = (await Entra.ListProvisioningRunsAsync(spId, Ct)).Count;
            if (job?.LastExecutionState is not null && logged >= runs)
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The provisioning job did not complete {runs} cycle(s) in time.");
            await Task.Delay(100, Ct);
        }
    }

    [GeneratedRegex("name=\"SAMLResponse\" value=\"([^\"]+)\"")]
    private static partial Regex SamlResponseField();
}
