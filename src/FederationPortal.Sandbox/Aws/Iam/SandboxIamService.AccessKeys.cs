using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>IAM's access keys: at most two per user, the secret returned once.</summary>
internal sealed partial class SandboxIamService
{
    private IEnumerable<object?> CreateAccessKey(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request, caller);
        if (state.AccessKeysOf(user.UserName).Count >= MaxAccessKeysPerUser)
        {
            throw AwsQueryError.LimitExceeded($"Cannot exceed quota for AccessKeysPerUser: {MaxAccessKeysPerUser}");
        }

        var key = new SandboxAccessKey
        {
            AccessKeyId = SandboxIamState.NewId("AKIA", 20),
            SecretAccessKey = SandboxIamState.NewSecret(),
            UserName = user.UserName,
            Status = "Active",
            CreateDate = Now,
        };
        state.Save(key);
        logger.LogInformation("Sandbox IAM created access key {AccessKeyId} for {User}", key.AccessKeyId, user.UserName);
        yield return X.E("AccessKey",
            X.E("UserName", key.UserName),
            X.E("AccessKeyId", key.AccessKeyId),
            X.E("Status", key.Status),
            X.E("SecretAccessKey", key.SecretAccessKey),
            X.Date("CreateDate", key.CreateDate));
    }

    private IEnumerable<object?> ListAccessKeys(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request, caller);
        yield return X.Members("AccessKeyMetadata", state.AccessKeysOf(user.UserName).Select(k => new object[]
        {
            X.E("UserName", k.UserName), X.E("AccessKeyId", k.AccessKeyId), X.E("Status", k.Status), X.Date("CreateDate", k.CreateDate),
        }));
        yield return X.E("IsTruncated", "false");
    }

    private SandboxAccessKey KeyOf(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request, caller);
        var id = request.Required("AccessKeyId");
        AwsQueryRequest.CheckLength(id, 16, 128, "accessKeyId");
        var key = state.AccessKey(id);
        return key is not null && string.Equals(key.UserName, user.UserName, StringComparison.OrdinalIgnoreCase)
            ? key
            : throw AwsQueryError.NoSuchEntity($"The Access Key with id {id} cannot be found.");
    }

    private IEnumerable<object?>? UpdateAccessKey(AwsQueryRequest request, AwsCaller caller)
    {
        var key = KeyOf(request, caller);
        var status = request.Required("Status");
        if (status is not ("Active" or "Inactive"))
        {
            throw AwsQueryError.Constraint(status, "status", "Member must satisfy enum value set: [Active, Inactive]");
        }

        state.Save(key with { Status = status });
        return null;
    }

    private IEnumerable<object?>? DeleteAccessKey(AwsQueryRequest request, AwsCaller caller)
    {
        state.DeleteAccessKey(KeyOf(request, caller).AccessKeyId);
        return null;
    }
}
