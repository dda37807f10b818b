using System.Text;
using FederationPortal.Core.Saml;
using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>
/// The emulated IAM: every action the portal uses, with IAM's validation, errors, pagination and identity-based
/// authorization of the caller. Returns the <c>…Result</c> content; the endpoint wraps it in the response document.
/// </summary>
internal sealed partial class SandboxIamService(SandboxIamState state, IOptions<SandboxOptions> options, TimeProvider timeProvider, ILogger<SandboxIamService> logger)
{
    private const int MaxManagedPoliciesPerEntity = 10;
    private const int MaxAccessKeysPerUser = 2;
    private static readonly AwsXml X = AwsXml.Iam;

    private delegate IEnumerable<object?>? Handler(AwsQueryRequest request, AwsCaller caller);

    private string Account => options.Value.AccountId;

    private DateTimeOffset Now => DateTimeOffset.FromUnixTimeSeconds(timeProvider.GetUtcNow().ToUnixTimeSeconds());

    public bool Knows(string action) => Handlers.ContainsKey(action);

    /// <summary>Authorizes the caller for <c>iam:{Action}</c> on the action's resource, then runs it.</summary>
    public IEnumerable<object?>? Handle(AwsQueryRequest request, AwsCaller caller)
    {
        var (resource, handler) = Handlers[request.Action];
        var resourceArn = resource(this, request, caller);
        Authorize(caller, "iam:" + request.Action, resourceArn);
        lock (state.Sync)
        {
            var result = handler(this)(request, caller);
            return result?.ToList();
        }
    }

    /// <summary>
    /// Every role, for an in-process caller such as the emulated tenant's provisioning connector: authorized as
    /// <c>ListRoles</c> and <c>ListAccountAliases</c> over HTTP are, the calls Entra's connector makes.
    /// </summary>
    public IReadOnlyList<(string Arn, string AssumeRolePolicyDocument)> ListAllRoles(AwsCaller caller)
    {
        Authorize(caller, "iam:ListRoles", $"arn:aws:iam::{Account}:role/");
        Authorize(caller, "iam:ListAccountAliases", "*");
        lock (state.Sync)
        {
            return state.AllRoles()
                .OrderBy(r => r.RoleName, StringComparer.OrdinalIgnoreCase)
                .Select(r => (RoleArn(r.RoleName, r.Path), r.AssumeRolePolicyDocument))
                .ToList();
        }
    }

    /// <summary>Evaluates the caller's identity policies for one action; the administrator may do anything.</summary>
    public PolicyDecision Decide(AwsCaller caller, string action, string resource)
    {
        if (caller.Kind == AwsCallerKind.Administrator)
        {
            return PolicyDecision.Allowed;
        }

        var decision = PolicyEvaluator.Evaluate(PoliciesOf(caller), action, resource);
        if (decision == PolicyDecision.Allowed && caller.SessionPolicy is { } sessionPolicy)
        {
            // A session policy only narrows: the effective permissions are the intersection.
            decision = PolicyEvaluator.Evaluate([PolicyDocument.Parse(sessionPolicy, PolicyKind.Identity)], action, resource);
        }

        return decision;
    }

    public void Authorize(AwsCaller caller, string action, string resource)
    {
        var decision = Decide(caller, action, resource);
        if (decision == PolicyDecision.Allowed)
        {
            return;
        }

        logger.LogInformation("Sandbox IAM denied {Action} on {Resource} to {Caller} ({Decision})", action, resource, caller.Arn, decision);
        var why = decision == PolicyDecision.ExplicitDeny
            ? "with an explicit deny in an identity-based policy"
            : $"because no identity-based policy allows the {action} action";
        throw AwsQueryError.AccessDenied($"User: {caller.Arn} is not authorized to perform: {action} on resource: {resource} {why}");
    }

    private IEnumerable<PolicyDocument> PoliciesOf(AwsCaller caller)
    {
        var (attached, inline) = caller.Kind switch
        {
            AwsCallerKind.User when state.User(caller.UserName!) is { } user => (user.AttachedPolicyArns, user.InlinePolicies.Values.ToList()),
            AwsCallerKind.RoleSession when state.Role(caller.RoleName!) is { } role => (role.AttachedPolicyArns, role.InlinePolicies.Values.ToList()),
            _ => ([], []),
        };
        foreach (var arn in attached)
        {
            if (state.Policy(arn) is { } policy)
            {
                yield return PolicyDocument.Parse(policy.Document, PolicyKind.Identity);
            }
        }

        foreach (var document in inline)
        {
            yield return PolicyDocument.Parse(document, PolicyKind.Identity);
        }
    }

    private static readonly Dictionary<string, (Func<SandboxIamService, AwsQueryRequest, AwsCaller, string> Resource, Func<SandboxIamService, Handler> Handler)> Handlers = new(StringComparer.Ordinal)
    {
        ["CreateSAMLProvider"] = ((s, r, _) => s.ProviderArn(r.Optional("Name") ?? ""), s => s.CreateSamlProvider),
        ["UpdateSAMLProvider"] = ((_, r, _) => r.Optional("SAMLProviderArn") ?? "*", s => s.UpdateSamlProvider),
        ["GetSAMLProvider"] = ((_, r, _) => r.Optional("SAMLProviderArn") ?? "*", s => s.GetSamlProvider),
        ["ListSAMLProviders"] = ((_, _, _) => "*", s => s.ListSamlProviders),
        ["DeleteSAMLProvider"] = ((_, r, _) => r.Optional("SAMLProviderArn") ?? "*", s => s.DeleteSamlProvider),
        ["TagSAMLProvider"] = ((_, r, _) => r.Optional("SAMLProviderArn") ?? "*", s => s.TagSamlProvider),
        ["UntagSAMLProvider"] = ((_, r, _) => r.Optional("SAMLProviderArn") ?? "*", s => s.UntagSamlProvider),
        ["ListSAMLProviderTags"] = ((_, r, _) => r.Optional("SAMLProviderArn") ?? "*", s => s.ListSamlProviderTags),

        ["CreateRole"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? "", r.Optional("Path")), s => s.CreateRole),
        ["GetRole"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.GetRole),
        ["ListRoles"] = ((s, r, _) => $"arn:aws:iam::{s.Account}:role{r.Optional("PathPrefix") ?? "/"}", s => s.ListRoles),
        ["UpdateRole"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.UpdateRole),
        ["UpdateAssumeRolePolicy"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.UpdateAssumeRolePolicy),
        ["DeleteRole"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.DeleteRole),
        ["TagRole"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.TagRole),
        ["UntagRole"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.UntagRole),
        ["ListRoleTags"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.ListRoleTags),
        ["AttachRolePolicy"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.AttachRolePolicy),
        ["DetachRolePolicy"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.DetachRolePolicy),
        ["ListAttachedRolePolicies"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.ListAttachedRolePolicies),
        ["PutRolePolicy"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.PutRolePolicy),
        ["GetRolePolicy"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.GetRolePolicy),
        ["DeleteRolePolicy"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.DeleteRolePolicy),
        ["ListRolePolicies"] = ((s, r, _) => s.RoleArn(r.Optional("RoleName") ?? ""), s => s.ListRolePolicies),

        ["CreatePolicy"] = ((s, r, _) => $"arn:aws:iam::{s.Account}:policy{r.Optional("Path") ?? "/"}{r.Optional("PolicyName")}", s => s.CreatePolicy),
        ["GetPolicy"] = ((_, r, _) => r.Optional("PolicyArn") ?? "*", s => s.GetPolicy),
        ["GetPolicyVersion"] = ((_, r, _) => r.Optional("PolicyArn") ?? "*", s => s.GetPolicyVersion),
        ["ListPolicies"] = ((_, _, _) => "*", s => s.ListPolicies),
        ["ListEntitiesForPolicy"] = ((_, r, _) => r.Optional("PolicyArn") ?? "*", s => s.ListEntitiesForPolicy),
        ["DeletePolicy"] = ((_, r, _) => r.Optional("PolicyArn") ?? "*", s => s.DeletePolicy),

        ["CreateUser"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? "", r.Optional("Path")), s => s.CreateUser),
        ["GetUser"] = ((s, r, c) => s.UserArn(r.Optional("UserName") ?? c.UserName ?? ""), s => s.GetUser),
        ["ListUsers"] = ((s, r, _) => $"arn:aws:iam::{s.Account}:user{r.Optional("PathPrefix") ?? "/"}", s => s.ListUsers),
        ["DeleteUser"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.DeleteUser),
        ["TagUser"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.TagUser),
        ["UntagUser"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.UntagUser),
        ["ListUserTags"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.ListUserTags),
        ["AttachUserPolicy"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.AttachUserPolicy),
        ["DetachUserPolicy"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.DetachUserPolicy),
        ["ListAttachedUserPolicies"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.ListAttachedUserPolicies),
        ["PutUserPolicy"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.PutUserPolicy),
        ["GetUserPolicy"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.GetUserPolicy),
        ["DeleteUserPolicy"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.DeleteUserPolicy),
        ["ListUserPolicies"] = ((s, r, _) => s.UserArn(r.Optional("UserName") ?? ""), s => s.ListUserPolicies),
        ["CreateAccessKey"] = ((s, r, c) => s.UserArn(r.Optional("UserName") ?? c.UserName ?? ""), s => s.CreateAccessKey),
        ["ListAccessKeys"] = ((s, r, c) => s.UserArn(r.Optional("UserName") ?? c.UserName ?? ""), s => s.ListAccessKeys),
        ["UpdateAccessKey"] = ((s, r, c) => s.UserArn(r.Optional("UserName") ?? c.UserName ?? ""), s => s.UpdateAccessKey),
        ["DeleteAccessKey"] = ((s, r, c) => s.UserArn(r.Optional("UserName") ?? c.UserName ?? ""), s => s.DeleteAccessKey),

        ["ListAccountAliases"] = ((_, _, _) => "*", s => s.ListAccountAliases),
        ["SimulatePrincipalPolicy"] = ((_, r, _) => r.Optional("PolicySourceArn") ?? "*", s => s.SimulatePrincipalPolicy),
    };

    // ---------------------------------------------------------------- helpers

    private static (string Name, string Document) InlinePolicy(AwsQueryRequest request)
    {
        var name = request.Name("PolicyName", 128);
        var document = request.Required("PolicyDocument");
        AwsQueryRequest.CheckLength(document, 1, 131072, "policyDocument");
        PolicyDocument.Parse(document, PolicyKind.Identity);
        return (name, document);
    }

    private IEnumerable<object?> AttachedList(AwsQueryRequest request, IReadOnlyList<string> arns)
    {
        var attached = arns.Select(a => state.Policy(a)).OfType<SandboxManagedPolicy>().OrderBy(p => p.PolicyName, StringComparer.OrdinalIgnoreCase).ToList();
        var (page, truncated, marker) = Page(request, attached, p => p.Arn);
        yield return X.Members("AttachedPolicies", page.Select(p => new object[] { X.E("PolicyName", p.PolicyName), X.E("PolicyArn", p.Arn) }));
        yield return X.E("IsTruncated", truncated ? "true" : "false");
        yield return X.Opt("Marker", marker);
    }

    private static IEnumerable<object?> NameList(AwsQueryRequest request, IEnumerable<string> names)
    {
        var sorted = names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        var (page, truncated, marker) = Page(request, sorted, n => n);
        yield return X.Members("PolicyNames", page);
        yield return X.E("IsTruncated", truncated ? "true" : "false");
        yield return X.Opt("Marker", marker);
    }

    /// <summary>IAM pagination: <c>MaxItems</c> 1–1000 (default 100), an opaque <c>Marker</c> naming the next item.</summary>
    private static (List<T> Page, bool IsTruncated, string? Marker) Page<T>(AwsQueryRequest request, IReadOnlyList<T> items, Func<T, string> key)
    {
        var maxItems = request.Integer("MaxItems", 1, 1000) ?? 100;
        var start = 0;
        if (request.Optional("Marker") is { } marker)
        {
            string next;
            try
            {
                next = Encoding.UTF8.GetString(Convert.FromBase64String(marker));
            }
            catch (FormatException)
            {
                throw AwsQueryError.InvalidInput("Invalid Marker.");
            }

            start = items.Select((item, index) => (item, index)).FirstOrDefault(p => string.Equals(key(p.item), next, StringComparison.Ordinal), (default!, -1)).Item2;
            if (start < 0)
            {
                throw AwsQueryError.InvalidInput("Invalid Marker.");
            }
        }

        var page = items.Skip(start).Take(maxItems).ToList();
        var truncated = start + page.Count < items.Count;
        return (page, truncated, truncated ? Convert.ToBase64String(Encoding.UTF8.GetBytes(key(items[start + page.Count]))) : null);
    }

    private static List<SandboxTag> MergeTags(IEnumerable<SandboxTag> existing, IReadOnlyList<SandboxTag> added)
    {
        var merged = existing.Where(t => !added.Any(a => string.Equals(a.Key, t.Key, StringComparison.OrdinalIgnoreCase))).Concat(added).ToList();
        if (merged.Count > 50)
        {
            throw AwsQueryError.LimitExceeded("The number of tags has reached the maximum limit.");
        }

        return merged;
    }
}
