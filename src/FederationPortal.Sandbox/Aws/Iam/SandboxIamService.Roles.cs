using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>IAM's roles with their trust policies, tags, attached and inline policies.</summary>
internal sealed partial class SandboxIamService
{
    private string RoleArn(string name, string? path = null)
        => $"arn:aws:iam::{Account}:role{path ?? state.Role(name)?.Path ?? "/"}{state.Role(name)?.RoleName ?? name}";

    private SandboxRole RoleNamed(AwsQueryRequest request)
    {
        var name = request.Name("RoleName", 64);
        return state.Role(name) ?? throw AwsQueryError.NoSuchEntity($"The role with name {name} cannot be found.");
    }

    private object[] RoleXml(SandboxRole role, bool withTags) =>
    [
        X.E("Path", role.Path),
        X.E("RoleName", role.RoleName),
        X.E("RoleId", role.RoleId),
        X.E("Arn", RoleArn(role.RoleName, role.Path)),
        X.Date("CreateDate", role.CreateDate),
        X.Policy("AssumeRolePolicyDocument", role.AssumeRolePolicyDocument),
        X.Opt("Description", role.Description)!,
        X.E("MaxSessionDuration", role.MaxSessionDuration),
        (withTags && role.Tags.Count > 0 ? X.Tags(role.Tags) : null)!,
        X.E("RoleLastUsed"),
    ];

    private IEnumerable<object?> CreateRole(AwsQueryRequest request, AwsCaller caller)
    {
        var name = request.Name("RoleName", 64);
        var path = request.Path();
        var trust = request.Required("AssumeRolePolicyDocument");
        AwsQueryRequest.CheckLength(trust, 1, 131072, "assumeRolePolicyDocument");
        var description = request.Optional("Description");
        if (description is not null)
        {
            AwsQueryRequest.CheckLength(description, 0, 1000, "description");
        }

        var maxSession = request.Integer("MaxSessionDuration", 3600, 43200) ?? 3600;
        var tags = request.Tags();
        PolicyDocument.Parse(trust, PolicyKind.Trust);
        CheckTrustPrincipals(trust);
        if (state.Role(name) is not null)
        {
            throw AwsQueryError.EntityAlreadyExists($"Role with name {name} already exists.");
        }

        var role = new SandboxRole
        {
            RoleName = name,
            RoleId = SandboxIamState.NewId("AROA", 21),
            Path = path,
            CreateDate = Now,
            AssumeRolePolicyDocument = trust,
            Description = description,
            MaxSessionDuration = maxSession,
            Tags = [.. tags],
        };
        state.Save(role);
        logger.LogInformation("Sandbox IAM created role {Role}", name);
        yield return X.E("Role", RoleXml(role, withTags: true));
    }

    /// <summary>IAM refuses a trust policy naming a SAML provider that does not exist.</summary>
    private void CheckTrustPrincipals(string trust)
    {
        foreach (var statement in PolicyDocument.Parse(trust, PolicyKind.Trust).Statements)
        {
            if (!statement.Principals.TryGetValue("Federated", out var federated))
            {
                continue;
            }

            foreach (var principal in federated)
            {
                var prefix = $"arn:aws:iam::{Account}:saml-provider/";
                if (principal.StartsWith("arn:", StringComparison.Ordinal) && principal.Contains(":saml-provider/", StringComparison.Ordinal)
                    && (!principal.StartsWith(prefix, StringComparison.Ordinal) || state.Provider(principal[prefix.Length..]) is null))
                {
                    throw AwsQueryError.MalformedPolicyDocument($"Invalid principal in policy: \"Federated\":\"{principal}\"");
                }
            }
        }
    }

    private IEnumerable<object?> GetRole(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.E("Role", RoleXml(RoleNamed(request), withTags: true));
    }

    private IEnumerable<object?> ListRoles(AwsQueryRequest request, AwsCaller caller)
    {
        var prefix = request.Optional("PathPrefix") ?? "/";
        var roles = state.AllRoles().Where(r => r.Path.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(r => r.RoleName, StringComparer.OrdinalIgnoreCase).ToList();
        var (page, truncated, marker) = Page(request, roles, r => r.RoleName);
        yield return X.Members("Roles", page.Select(r => RoleXml(r, withTags: false)));
        yield return X.E("IsTruncated", truncated ? "true" : "false");
        yield return X.Opt("Marker", marker);
    }

    private IEnumerable<object?> UpdateRole(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var description = request.Optional("Description");
        if (description is not null)
        {
            AwsQueryRequest.CheckLength(description, 0, 1000, "description");
        }

        var maxSession = request.Integer("MaxSessionDuration", 3600, 43200);
        state.Save(role with { Description = description ?? role.Description, MaxSessionDuration = maxSession ?? role.MaxSessionDuration });
        return [];
    }

    private IEnumerable<object?>? UpdateAssumeRolePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var trust = request.Required("PolicyDocument");
        PolicyDocument.Parse(trust, PolicyKind.Trust);
        CheckTrustPrincipals(trust);
        state.Save(role with { AssumeRolePolicyDocument = trust });
        return null;
    }

    private IEnumerable<object?>? DeleteRole(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        if (role.AttachedPolicyArns.Count > 0)
        {
            throw AwsQueryError.DeleteConflict("Cannot delete entity, must detach all policies first.");
        }

        if (role.InlinePolicies.Count > 0)
        {
            throw AwsQueryError.DeleteConflict("Cannot delete entity, must delete policies first.");
        }

        state.DeleteRole(role.RoleName);
        logger.LogInformation("Sandbox IAM deleted role {Role}", role.RoleName);
        return null;
    }

    private IEnumerable<object?>? TagRole(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        state.Save(role with { Tags = MergeTags(role.Tags, request.Tags()) });
        return null;
    }

    private IEnumerable<object?>? UntagRole(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var keys = request.List("TagKeys");
        state.Save(role with { Tags = role.Tags.Where(t => !keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).ToList() });
        return null;
    }

    private IEnumerable<object?> ListRoleTags(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Tags(RoleNamed(request).Tags);
        yield return X.E("IsTruncated", "false");
    }

    private IEnumerable<object?>? AttachRolePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var policy = PolicyByArn(request);
        if (!role.AttachedPolicyArns.Contains(policy.Arn))
        {
            if (role.AttachedPolicyArns.Count >= MaxManagedPoliciesPerEntity)
            {
                throw AwsQueryError.LimitExceeded($"Cannot exceed quota for PoliciesPerRole: {MaxManagedPoliciesPerEntity}");
            }

            state.Save(role with { AttachedPolicyArns = [.. role.AttachedPolicyArns, policy.Arn] });
        }

        return null;
    }

    private IEnumerable<object?>? DetachRolePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var arn = request.Required("PolicyArn");
        if (!role.AttachedPolicyArns.Contains(arn))
        {
            throw AwsQueryError.NoSuchEntity($"Policy {arn} was not found.");
        }

        state.Save(role with { AttachedPolicyArns = role.AttachedPolicyArns.Where(a => a != arn).ToList() });
        return null;
    }

    private IEnumerable<object?> ListAttachedRolePolicies(AwsQueryRequest request, AwsCaller caller)
        => AttachedList(request, RoleNamed(request).AttachedPolicyArns);

    private IEnumerable<object?>? PutRolePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var (name, document) = InlinePolicy(request);
        var policies = new Dictionary<string, string>(role.InlinePolicies) { [name] = document };
        if (policies.Values.Sum(d => d.Count(c => !char.IsWhiteSpace(c))) > 10240)
        {
            throw AwsQueryError.LimitExceeded("Maximum policy size of 10240 bytes exceeded for role " + role.RoleName);
        }

        state.Save(role with { InlinePolicies = policies });
        return null;
    }

    private IEnumerable<object?> GetRolePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var name = request.Name("PolicyName", 128);
        var document = role.InlinePolicies.GetValueOrDefault(name) ?? throw AwsQueryError.NoSuchEntity($"The role policy with name {name} cannot be found.");
        yield return X.E("RoleName", role.RoleName);
        yield return X.E("PolicyName", name);
        yield return X.Policy("PolicyDocument", document);
    }

    private IEnumerable<object?>? DeleteRolePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var role = RoleNamed(request);
        var name = request.Name("PolicyName", 128);
        if (!role.InlinePolicies.ContainsKey(name))
        {
            throw AwsQueryError.NoSuchEntity($"The role policy with name {name} cannot be found.");
        }

        var policies = new Dictionary<string, string>(role.InlinePolicies);
        policies.Remove(name);
        state.Save(role with { InlinePolicies = policies });
        return null;
    }

    private IEnumerable<object?> ListRolePolicies(AwsQueryRequest request, AwsCaller caller)
        => NameList(request, RoleNamed(request).InlinePolicies.Keys);
}
