using System.Text.Json;
using FederationPortal.TestSupport;

namespace FederationPortal.Sandbox.Tests.Aws;

/// <summary>More IAM result shapes through the AWS CLI v2's parser: policies, attachments, simulation, user tags, key status.</summary>
public sealed class AwsCliShapeTests : IAsyncLifetime
{
    private readonly EmulatorHost host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private async Task<JsonElement> Iam(params string[] arguments)
    {
        var (exit, stdout, stderr) = await SandboxAwsClient.RunCliAsync(host.BaseAddress + "/sandbox/aws/iam", (SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret, null), ["iam", .. arguments]);
        Assert.True(exit == 0, $"aws iam {string.Join(' ', arguments)} failed ({exit}): {stderr}");
        return stdout.Trim().Length == 0 ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public async Task Policy_attachment_simulation_and_user_shapes_parse_in_the_CLI()
    {
        if (!File.Exists(SandboxAwsClient.AwsCli))
        {
            Assert.Skip("The AWS CLI v2 (/usr/bin/aws, Debian package awscli) is not installed; scripts/test.sh installs it.");
        }

        var policy = (await Iam("create-policy", "--policy-name", "EntraProvisioning", "--description", "Lets Entra import roles",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:ListAccountAliases"],"Resource":"*"}]}""")).GetProperty("Policy");
        var policyArn = policy.GetProperty("Arn").GetString()!;
        Assert.Equal("arn:aws:iam::111122223333:policy/EntraProvisioning", policyArn);
        Assert.Matches("^ANPA", policy.GetProperty("PolicyId").GetString());
        Assert.Equal("v1", policy.GetProperty("DefaultVersionId").GetString());

        var user = (await Iam("create-user", "--user-name", "entra-sync", "--tags", "Key=purpose,Value=provisioning")).GetProperty("User");
        Assert.Equal("purpose", user.GetProperty("Tags")[0].GetProperty("Key").GetString());
        await Iam("attach-user-policy", "--user-name", "entra-sync", "--policy-arn", policyArn);
        Assert.Equal(policyArn, (await Iam("list-attached-user-policies", "--user-name", "entra-sync")).GetProperty("AttachedPolicies")[0].GetProperty("PolicyArn").GetString());
        Assert.Equal(1, (await Iam("get-policy", "--policy-arn", policyArn)).GetProperty("Policy").GetProperty("AttachmentCount").GetInt32());
        Assert.Equal("entra-sync", (await Iam("list-entities-for-policy", "--policy-arn", policyArn)).GetProperty("PolicyUsers")[0].GetProperty("UserName").GetString());

        var simulation = await Iam("simulate-principal-policy", "--policy-source-arn", user.GetProperty("Arn").GetString()!, "--action-names", "iam:ListRoles", "iam:DeleteRole");
        Assert.Equal(["allowed", "implicitDeny"], simulation.GetProperty("EvaluationResults").EnumerateArray().Select(r => r.GetProperty("EvalDecision").GetString()));

        await Iam("tag-user", "--user-name", "entra-sync", "--tags", "Key=owner,Value=portal");
        Assert.Equal(2, (await Iam("get-user", "--user-name", "entra-sync")).GetProperty("User").GetProperty("Tags").GetArrayLength());
        var keyId = (await Iam("create-access-key", "--user-name", "entra-sync")).GetProperty("AccessKey").GetProperty("AccessKeyId").GetString()!;
        await Iam("update-access-key", "--user-name", "entra-sync", "--access-key-id", keyId, "--status", "Inactive");
        Assert.Equal("Inactive", (await Iam("list-access-keys", "--user-name", "entra-sync")).GetProperty("AccessKeyMetadata")[0].GetProperty("Status").GetString());
        Assert.Equal("entra-sync", (await Iam("list-users")).GetProperty("Users")[0].GetProperty("UserName").GetString());
    }
}
