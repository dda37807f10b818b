using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>IAM's users with their tags, attached and inline policies.</summary>
internal sealed partial class SandboxIamService
{
    private string UserArn(string name, string? path = null)
        => $"arn:aws:iam::{Account}:user{path ?? state.User(name)?.Path ?? "/"}{state.User(name)?.UserName ?? name}";

    private SandboxIamUser UserNamed(AwsQueryRequest request, AwsCaller? caller = null)
    {
        if (caller is not null && request.Optional("UserName") is null)
        {
            if (caller.UserName is null)
            {
                throw AwsQueryError.Validation("Must specify userName when calling with non-User credentials");
            }

            return state.User(caller.UserName) ?? throw AwsQueryError.NoSuchEntity($"The user with name {caller.UserName} cannot be found.");
        }

        var name = request.Name("UserName", 64);
        return state.User(name) ?? throw AwsQueryError.NoSuchEntity($"The user with name {name} cannot be found.");
    }

    private object[] UserXml(SandboxIamUser user, bool withTags) =>
    [
        X.E("Path", user.Path),
        X.E("UserName", user.UserName),
        X.E("UserId", user.UserId),
        X.E("Arn", UserArn(user.UserName, user.Path)),
        X.Date("CreateDate", user.CreateDate),
        (withTags && user.Tags.Count > 0 ? X.Tags(user.Tags) : null)!,
    ];

    private IEnumerable<object?> CreateUser(AwsQueryRequest request, AwsCaller caller)
    {
        var name = request.Name("UserName", 64);
        var path = request.Path();
        var tags = request.Tags();
        if (state.User(name) is not null)
        {
            throw AwsQueryError.EntityAlreadyExists($"User with name {name} already exists.");
        }

        var user = new SandboxIamUser { UserName = name, UserId = SandboxIamState.NewId("AIDA", 21), Path = path, CreateDate = Now, Tags = [.. tags] };
        state.Save(user);
        logger.LogInformation("Sandbox IAM created user {User}", name);
        yield return X.E("User", UserXml(user, withTags: true));
    }

    private IEnumerable<object?> GetUser(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.E("User", UserXml(UserNamed(request, caller), withTags: true));
    }

    private IEnumerable<object?> ListUsers(AwsQueryRequest request, AwsCaller caller)
    {
        var prefix = request.Optional("PathPrefix") ?? "/";
        var users = state.AllUsers().Where(u => u.Path.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase).ToList();
        var (page, truncated, marker) = Page(request, users, u => u.UserName);
        yield return X.Members("Users", page.Select(u => UserXml(u, withTags: false)));
        yield return X.E("IsTruncated", truncated ? "true" : "false");
        yield return X.Opt("Marker", marker);
    }

    private IEnumerable<object?>? DeleteUser(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        if (state.AccessKeysOf(user.UserName).Count > 0)
        {
            throw AwsQueryError.DeleteConflict("Cannot delete entity, must delete access keys first.");
        }

        if (user.AttachedPolicyArns.Count > 0)
        {
            throw AwsQueryError.DeleteConflict("Cannot delete entity, must detach all policies first.");
        }

        if (user.InlinePolicies.Count > 0)
        {
            throw AwsQueryError.DeleteConflict("Cannot delete entity, must delete policies first.");
        }

        state.DeleteUser(user.UserName);
        logger.LogInformation("Sandbox IAM deleted user {User}", user.UserName);
        return null;
    }

    private IEnumerable<object?>? TagUser(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        state.Save(user with { Tags = MergeTags(user.Tags, request.Tags()) });
        return null;
    }

    private IEnumerable<object?>? UntagUser(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        var keys = request.List("TagKeys");
        state.Save(user with { Tags = user.Tags.Where(t => !keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).ToList() });
        return null;
    }

    private IEnumerable<object?> ListUserTags(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Tags(UserNamed(request).Tags);
        yield return X.E("IsTruncated", "false");
    }

    private IEnumerable<object?>? AttachUserPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        var policy = PolicyByArn(request);
        if (!user.AttachedPolicyArns.Contains(policy.Arn))
        {
            if (user.AttachedPolicyArns.Count >= MaxManagedPoliciesPerEntity)
            {
                throw AwsQueryError.LimitExceeded($"Cannot exceed quota for PoliciesPerUser: {MaxManagedPoliciesPerEntity}");
            }

            state.Save(user with { AttachedPolicyArns = [.. user.AttachedPolicyArns, policy.Arn] });
        }

        return null;
    }

    private IEnumerable<object?>? DetachUserPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        var arn = request.Required("PolicyArn");
        if (!user.AttachedPolicyArns.Contains(arn))
        {
            throw AwsQueryError.NoSuchEntity($"Policy {arn} was not found.");
        }

        state.Save(user with { AttachedPolicyArns = user.AttachedPolicyArns.Where(a => a != arn).ToList() });
        return null;
    }

    private IEnumerable<object?> ListAttachedUserPolicies(AwsQueryRequest request, AwsCaller caller)
        => AttachedList(request, UserNamed(request).AttachedPolicyArns);

    private IEnumerable<object?>? PutUserPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        var (name, document) = InlinePolicy(request);
        var policies = new Dictionary<string, string>(user.InlinePolicies) { [name] = document };
        if (policies.Values.Sum(d => d.Count(c => !char.IsWhiteSpace(c))) > 2048)
        {
            throw AwsQueryError.LimitExceeded("Maximum policy size of 2048 bytes exceeded for user " + user.UserName);
        }

        state.Save(user with { InlinePolicies = policies });
        return null;
    }

    private IEnumerable<object?> GetUserPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        var name = request.Name("PolicyName", 128);
        var document = user.InlinePolicies.GetValueOrDefault(name) ?? throw AwsQueryError.NoSuchEntity($"The user policy with name {name} cannot be found.");
        yield return X.E("UserName", user.UserName);
        yield return X.E("PolicyName", name);
        yield return X.Policy("PolicyDocument", document);
    }

    private IEnumerable<object?>? DeleteUserPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var user = UserNamed(request);
        var name = request.Name("PolicyName", 128);
        if (!user.InlinePolicies.ContainsKey(name))
        {
            throw AwsQueryError.NoSuchEntity($"The user policy with name {name} cannot be found.");
        }

        var policies = new Dictionary<string, string>(user.InlinePolicies);
        policies.Remove(name);
        state.Save(user with { InlinePolicies = policies });
        return null;
    }

    private IEnumerable<object?> ListUserPolicies(AwsQueryRequest request, AwsCaller caller)
        => NameList(request, UserNamed(request).InlinePolicies.Keys);
}
