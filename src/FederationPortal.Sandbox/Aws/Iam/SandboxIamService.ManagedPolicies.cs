using FederationPortal.Sandbox.Aws.Protocol;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>IAM's customer managed policies and the AWS managed ones, with their attachments.</summary>
internal sealed partial class SandboxIamService
{
    private object[] PolicyXml(SandboxManagedPolicy policy, bool withTags) =>
    [
        X.E("PolicyName", policy.PolicyName),
        X.E("PolicyId", policy.PolicyId),
        X.E("Arn", policy.Arn),
        X.E("Path", policy.Path),
        X.E("DefaultVersionId", policy.DefaultVersionId),
        X.E("AttachmentCount", AttachmentsOf(policy.Arn).Count()),
        X.E("PermissionsBoundaryUsageCount", 0),
        X.E("IsAttachable", "true"),
        X.Opt("Description", policy.Description)!,
        X.Date("CreateDate", policy.CreateDate),
        X.Date("UpdateDate", policy.UpdateDate),
        (withTags && policy.Tags.Count > 0 ? X.Tags(policy.Tags) : null)!,
    ];

    private IEnumerable<(string Kind, string Name, string Id)> AttachmentsOf(string arn)
        => state.AllRoles().Where(r => r.AttachedPolicyArns.Contains(arn)).Select(r => ("Role", r.RoleName, r.RoleId))
            .Concat(state.AllUsers().Where(u => u.AttachedPolicyArns.Contains(arn)).Select(u => ("User", u.UserName, u.UserId)));

    private SandboxManagedPolicy PolicyByArn(AwsQueryRequest request)
    {
        var arn = request.Required("PolicyArn");
        AwsQueryRequest.CheckLength(arn, 20, 2048, "policyArn");
        if (!arn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || !arn.Contains(":policy/", StringComparison.Ordinal))
        {
            throw AwsQueryError.InvalidInput($"ARN {arn} is not valid.");
        }

        return state.Policy(arn) ?? throw AwsQueryError.NoSuchEntity($"Policy {arn} does not exist or is not attachable.");
    }

    private IEnumerable<object?> CreatePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var name = request.Name("PolicyName", 128);
        var path = request.Path();
        var document = request.Required("PolicyDocument");
        AwsQueryRequest.CheckLength(document, 1, 131072, "policyDocument");
        var description = request.Optional("Description");
        var tags = request.Tags();
        PolicyDocument.Parse(document, PolicyKind.Identity);
        if (document.Count(c => !char.IsWhiteSpace(c)) > 6144)
        {
            throw AwsQueryError.LimitExceeded("Cannot exceed quota for PolicySize: 6144");
        }

        var arn = $"arn:aws:iam::{Account}:policy{path}{name}";
        if (state.CustomerPolicies().Any(p => string.Equals(p.PolicyName, name, StringComparison.OrdinalIgnoreCase) && p.Path == path))
        {
            throw AwsQueryError.EntityAlreadyExists($"A policy called {name} already exists. Duplicate names are not allowed.");
        }

        var policy = new SandboxManagedPolicy
        {
            PolicyName = name,
            PolicyId = SandboxIamState.NewId("ANPA", 21),
            Arn = arn,
            Path = path,
            Document = document,
            Description = description,
            CreateDate = Now,
            UpdateDate = Now,
            Tags = [.. tags],
        };
        state.Save(policy);
        yield return X.E("Policy", PolicyXml(policy, withTags: true));
    }

    private IEnumerable<object?> GetPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.E("Policy", PolicyXml(PolicyByArn(request), withTags: true));
    }

    private IEnumerable<object?> GetPolicyVersion(AwsQueryRequest request, AwsCaller caller)
    {
        var policy = PolicyByArn(request);
        var version = request.Required("VersionId");
        if (version != policy.DefaultVersionId)
        {
            throw AwsQueryError.NoSuchEntity($"Policy {policy.Arn} version {version} does not exist or is not attachable.");
        }

        yield return X.E("PolicyVersion",
            X.Policy("Document", policy.Document),
            X.E("VersionId", policy.DefaultVersionId),
            X.E("IsDefaultVersion", "true"),
            X.Date("CreateDate", policy.UpdateDate));
    }

    private IEnumerable<object?> ListPolicies(AwsQueryRequest request, AwsCaller caller)
    {
        var scope = request.Optional("Scope") ?? "All";
        if (scope is not ("All" or "AWS" or "Local"))
        {
            throw AwsQueryError.Constraint(scope, "scope", "Member must satisfy enum value set: [All, AWS, Local]");
        }

        var onlyAttached = string.Equals(request.Optional("OnlyAttached"), "true", StringComparison.OrdinalIgnoreCase);
        var prefix = request.Optional("PathPrefix") ?? "/";
        var policies = (scope == "Local" ? [] : AwsManagedPolicies.All)
            .Concat(scope == "AWS" ? [] : state.CustomerPolicies())
            .Where(p => p.Path.StartsWith(prefix, StringComparison.Ordinal))
            .Where(p => !onlyAttached || AttachmentsOf(p.Arn).Any())
            .OrderBy(p => p.PolicyName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Arn, StringComparer.Ordinal)
            .ToList();
        var (page, truncated, marker) = Page(request, policies, p => p.Arn);
        yield return X.Members("Policies", page.Select(p => PolicyXml(p, withTags: false)));
        yield return X.E("IsTruncated", truncated ? "true" : "false");
        yield return X.Opt("Marker", marker);
    }

    private IEnumerable<object?> ListEntitiesForPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var policy = PolicyByArn(request);
        var filter = request.Optional("EntityFilter");
        var attachments = AttachmentsOf(policy.Arn).ToList();
        yield return X.E("PolicyGroups");
        yield return X.Members("PolicyUsers", attachments.Where(a => a.Kind == "User" && filter is null or "User").Select(a => new object[] { X.E("UserName", a.Name), X.E("UserId", a.Id) }));
        yield return X.Members("PolicyRoles", attachments.Where(a => a.Kind == "Role" && filter is null or "Role").Select(a => new object[] { X.E("RoleName", a.Name), X.E("RoleId", a.Id) }));
        yield return X.E("IsTruncated", "false");
    }

    private IEnumerable<object?>? DeletePolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var policy = PolicyByArn(request);
        if (policy.IsAwsManaged)
        {
            throw AwsQueryError.AccessDenied($"User: {caller.Arn} is not authorized to perform: iam:DeletePolicy on resource: policy {policy.Arn}");
        }

        if (AttachmentsOf(policy.Arn).Any())
        {
            throw AwsQueryError.DeleteConflict("Cannot delete a policy attached to entities.");
        }

        state.DeletePolicy(policy.Arn);
        return null;
    }
}
