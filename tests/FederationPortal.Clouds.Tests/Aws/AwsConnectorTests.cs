using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FederationPortal.Clouds;
using FederationPortal.Clouds.Aws;
using FederationPortal.Core.Aws;
using FederationPortal.Tests.Saml;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Tests.Aws;

public sealed class ConnectorHostFixture : IAsyncLifetime
{
    public EmulatorHost Host { get; } = new();

    public TestIdentityProvider Idp { get; } = new();

    public IAwsIam Iam => Host.Services.GetRequiredService<IAwsIam>();

    public IAwsSts Sts => Host.Services.GetRequiredService<IAwsSts>();

    public ValueTask InitializeAsync()
    {
        _ = Host.BaseAddress; // start the server: the connector's sandbox endpoints are known once it listens
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Idp.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>The AWS connector (the same adapters Live uses) against the sandbox over real HTTP.</summary>
public sealed partial class AwsConnectorTests(ConnectorHostFixture fixture) : IClassFixture<ConnectorHostFixture>
{
    private const string Account = "111122223333";
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private IAwsIam Iam => fixture.Iam;

    private static string Trust(string providerArn) => JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[]
        {
            new { Effect = "Allow", Principal = new { Federated = providerArn }, Action = "sts:AssumeRoleWithSAML", Condition = new { StringEquals = new Dictionary<string, string> { ["SAML:aud"] = "https://signin.aws.amazon.com/saml" } } },
        },
    });

    [Fact]
    public async Task Connector_sets_up_and_tears_down_provider_role_policies_user_and_key()
    {
        var providerArn = await Iam.CreateSamlProviderAsync("ConnectorIdp", fixture.Idp.Metadata(), [new AwsTag("owner", "portal")], Token);
        var provider = await Iam.GetSamlProviderAsync(providerArn, Token);
        Assert.NotNull(provider?.ValidUntil);
        Assert.Equal("portal", Assert.Single(provider!.Tags!).Value);

        var role = await Iam.CreateRoleAsync(new CreateRoleRequest("ConnectorRole", Trust(providerArn)) { MaxSessionDuration = 7200, Description = "d" }, Token);
        Assert.Equal($"arn:aws:iam::{Account}:role/ConnectorRole", role.Arn);
        Assert.Equal(7200, role.MaxSessionDuration);
        Assert.Contains("sts:AssumeRoleWithSAML", role.AssumeRolePolicyDocument, StringComparison.Ordinal);
        await Iam.AttachRolePolicyAsync("ConnectorRole", "arn:aws:iam::aws:policy/ReadOnlyAccess", Token);
        await Iam.PutRolePolicyAsync("ConnectorRole", "inline", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}""", Token);
        Assert.Equal("ReadOnlyAccess", Assert.Single(await Iam.ListAttachedRolePoliciesAsync("ConnectorRole", Token)).PolicyName);
        Assert.Equal(["inline"], await Iam.ListRolePoliciesAsync("ConnectorRole", Token));

        var policy = await Iam.CreatePolicyAsync("ConnectorProvisioning", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}""", cancellationToken: Token);
        var user = await Iam.CreateUserAsync("connector-prov", cancellationToken: Token);
        Assert.StartsWith("AIDA", user.UserId, StringComparison.Ordinal);
        await Iam.AttachUserPolicyAsync(user.UserName, policy.Arn, Token);
        var key = await Iam.CreateAccessKeyAsync(user.UserName, Token);
        Assert.Matches("^AKIA[A-Z0-9]{16}$", key.AccessKeyId);
        Assert.DoesNotContain(key.SecretAccessKey, key.ToString(), StringComparison.Ordinal);
        var simulation = await Iam.SimulatePrincipalPolicyAsync(user.Arn, ["iam:ListRoles", "iam:CreateUser"], cancellationToken: Token);
        Assert.Equal([true, false], simulation.Select(s => s.IsAllowed));
        var identity = await fixture.Sts.GetCallerIdentityAsync(key.AccessKeyId, key.SecretAccessKey, null, Token);
        Assert.Equal(user.Arn, identity.Arn);

        var conflict = await Assert.ThrowsAsync<AwsServiceException>(() => Iam.DeleteRoleAsync("ConnectorRole", Token));
        Assert.Equal("DeleteConflict", conflict.Code);
        Assert.Equal(HttpStatusCode.Conflict, conflict.HttpStatus);
        var exists = await Assert.ThrowsAsync<AwsServiceException>(() => Iam.CreateRoleAsync(new CreateRoleRequest("connectorrole", Trust(providerArn)), Token));
        Assert.Equal("EntityAlreadyExists", exists.Code);

        await Iam.DetachRolePolicyAsync("ConnectorRole", "arn:aws:iam::aws:policy/ReadOnlyAccess", Token);
        await Iam.DeleteRolePolicyAsync("ConnectorRole", "inline", Token);
        await Iam.DeleteRoleAsync("ConnectorRole", Token);
        await Iam.DeleteAccessKeyAsync(user.UserName, key.AccessKeyId, Token);
        await Iam.DetachUserPolicyAsync(user.UserName, policy.Arn, Token);
        await Iam.DeleteUserAsync(user.UserName, Token);
        await Iam.DeletePolicyAsync(policy.Arn, Token);
        await Iam.DeleteSamlProviderAsync(providerArn, Token);
        Assert.Null(await Iam.GetRoleAsync("ConnectorRole", Token));
        Assert.Null(await Iam.GetUserAsync("connector-prov", Token));
        Assert.Null(await Iam.GetSamlProviderAsync(providerArn, Token));
    }

    [Fact]
    public async Task Provisioning_key_without_iam_ListRoles_fails_Test_Connection_with_AccessDenied_until_the_policy_is_fixed()
    {
        await Iam.CreateUserAsync("article-prov", cancellationToken: Token);
        await Iam.PutUserPolicyAsync("article-prov", "first-attempt",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject","ec2:DescribeInstances"],"Resource":"*"}]}""", Token);
        var key = await Iam.CreateAccessKeyAsync("article-prov", Token);
        var asProvisioning = fixture.Host.Services.GetRequiredService<IAwsIamClientFactory>().ForCredentials(key.AccessKeyId, key.SecretAccessKey);

        var denied = await Assert.ThrowsAsync<AwsServiceException>(() => asProvisioning.ListRolesAsync(cancellationToken: Token));
        Assert.Equal("AccessDenied", denied.Code);
        Assert.Equal(HttpStatusCode.Forbidden, denied.HttpStatus);
        Assert.Contains("iam:ListRoles", denied.AwsMessage, StringComparison.Ordinal);

        await Iam.PutUserPolicyAsync("article-prov", "first-attempt",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}""", Token);
        await asProvisioning.ListRolesAsync(cancellationToken: Token);
        Assert.NotEmpty(await asProvisioning.ListAccountAliasesAsync(Token));
    }

    [Fact]
    public async Task Sts_through_the_SDK_assumes_a_role_with_SAML_and_reports_AWS_error_codes()
    {
        var providerArn = await Iam.CreateSamlProviderAsync("StsIdp", fixture.Idp.Metadata(), cancellationToken: Token);
        var role = await Iam.CreateRoleAsync(new CreateRoleRequest("StsRole", Trust(providerArn)), Token);
        var assertion = fixture.Idp.Response(new TestSamlResponse { Roles = [$"{role.Arn},{providerArn}"], Now = DateTimeOffset.UtcNow });

        var session = await fixture.Sts.AssumeRoleWithSamlAsync(role.Arn, providerArn, assertion, cancellationToken: Token);

        Assert.StartsWith("ASIA", session.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/StsRole/alice@contoso.example", session.AssumedRoleArn);
        Assert.True(session.Expiration > DateTimeOffset.UtcNow.AddMinutes(50));
        var identity = await fixture.Sts.GetCallerIdentityAsync(session.AccessKeyId, session.SecretAccessKey, session.SessionToken, Token);
        Assert.Equal(session.AssumedRoleArn, identity.Arn);
        Assert.Equal($"arn:aws:iam::{Account}:root", (await fixture.Sts.GetCallerIdentityAsync(Token)).Arn);

        using var stranger = TestIdentityProvider.CreateCertificate();
        var forged = fixture.Idp.Response(new TestSamlResponse { Roles = [$"{role.Arn},{providerArn}"], Now = DateTimeOffset.UtcNow, SignWith = stranger });
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => fixture.Sts.AssumeRoleWithSamlAsync(role.Arn, providerArn, forged, cancellationToken: Token));
        Assert.Equal("InvalidIdentityToken", error.Code);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
    }

    [Fact]
    public async Task ListRoles_follows_every_page_with_the_same_parameters_as_the_AWS_CLI()
    {
        for (var i = 0; i < 105; i++)
        {
            await Iam.CreateRoleAsync(new CreateRoleRequest($"Many{i:000}", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""") { Path = "/many/" }, Token);
        }

        var recorder = new RecordingHandler();
        var client = new AwsQueryClient(AwsHttpClients.Over(recorder), fixture.Host.Services.GetRequiredService<ICloudEndpointsProvider>(), e => e.IamEndpoint, "iam", "2010-05-08",
            new AwsRetryPolicy(TimeProvider.System), NullLogger.Instance);
        var roles = await new AwsIamConnector(client).ListRolesAsync("/many/", Token);
        Assert.Equal(105, roles.Count);
        Assert.Equal(2, recorder.Bodies.Count);

        if (!File.Exists("/usr/bin/aws"))
        {
            Assert.Skip("The AWS CLI v2 (/usr/bin/aws) is not installed; the connector's paging was checked, the comparison with the CLI was not.");
        }

        var cliBodies = await CliRequestBodiesAsync("iam", "list-roles", "--path-prefix", "/many/");
        Assert.Equal(cliBodies.Count, recorder.Bodies.Count);
        for (var i = 0; i < cliBodies.Count; i++)
        {
            Assert.Equal(cliBodies[i].OrderBy(p => p.Key), recorder.Bodies[i].OrderBy(p => p.Key));
        }
    }

    [Fact]
    public async Task A_create_whose_response_is_lost_succeeds_on_retry_when_the_entity_is_identical()
    {
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        var lossy = new LoseFirstResponseHandler("CreateRole");
        var client = new AwsQueryClient(AwsHttpClients.Over(lossy), fixture.Host.Services.GetRequiredService<ICloudEndpointsProvider>(), e => e.IamEndpoint, "iam", "2010-05-08",
            new AwsRetryPolicy(TimeProvider.System) { BaseDelay = TimeSpan.FromMilliseconds(1) }, NullLogger.Instance);
        var connector = new AwsIamConnector(client);

        var role = await connector.CreateRoleAsync(new CreateRoleRequest("LostResponse", trust), Token);

        Assert.Equal(1, lossy.Lost);
        Assert.Equal("LostResponse", role.RoleName);
        Assert.StartsWith("AROA", role.RoleId, StringComparison.Ordinal);

        // A different entity under the same name is a real conflict, even after a lost response.
        var lossyAgain = new LoseFirstResponseHandler("CreateRole");
        var client2 = new AwsQueryClient(AwsHttpClients.Over(lossyAgain), fixture.Host.Services.GetRequiredService<ICloudEndpointsProvider>(), e => e.IamEndpoint, "iam", "2010-05-08",
            new AwsRetryPolicy(TimeProvider.System) { BaseDelay = TimeSpan.FromMilliseconds(1) }, NullLogger.Instance);
        await Iam.DeleteRoleAsync("LostResponse", Token);
        await Iam.CreateRoleAsync(new CreateRoleRequest("LostResponse2", trust), Token);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => new AwsIamConnector(client2).CreateRoleAsync(new CreateRoleRequest("LostResponse2", trust) { Path = "/other/" }, Token));
        Assert.Equal("EntityAlreadyExists", error.Code);
    }

    /// <summary>Runs the AWS CLI v2 with --debug and reads back the form parameters of every request it sent.</summary>
    private async Task<List<Dictionary<string, string>>> CliRequestBodiesAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIASANDBOXADMIN0001";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandboxSecretKeyDoNotUseInProduction0001";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        foreach (var argument in arguments.Concat(["--endpoint-url", fixture.Host.BaseAddress + "/sandbox/aws/iam", "--output", "json", "--debug"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Token);
        var stderr = await process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token);
        await stdout;
        Assert.True(process.ExitCode == 0, stderr[^Math.Min(stderr.Length, 2000)..]);
        return stderr.Split('\n')
            .Where(line => line.Contains("Making request for OperationModel", StringComparison.Ordinal))
            .Select(line => PairPattern().Matches(BodyPattern().Match(line).Groups["body"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value))
            .ToList();
    }

    [GeneratedRegex(@"'body': \{(?<body>[^}]*)\}")]
    private static partial Regex BodyPattern();

    [GeneratedRegex(@"'(?<key>[^']+)': '(?<value>[^']*)'")]
    private static partial Regex PairPattern();

    /// <summary>Records each request's form parameters, then sends it on.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<Dictionary<string, string>> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Bodies.Add(body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1])));
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Lets the first call of an action reach the server, then drops its response, as a broken connection would.</summary>
    private sealed class LoseFirstResponseHandler(string action) : DelegatingHandler(new SocketsHttpHandler())
    {
        public int Lost { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (Lost == 0 && body.StartsWith($"Action={action}&", StringComparison.Ordinal))
            {
                Lost++;
                response.Dispose();
                throw new HttpRequestException("The response was lost.");
            }

            return response;
        }
    }
}
