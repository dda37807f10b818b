using System.Text;
using FederationPortal.Core.Saml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Aws;

/// <summary>
/// The emulated IAM: every action the portal uses, with IAM's validation, errors, pagination and identity-based
/// authorization of the caller. Returns the <c>…Result</c> content; the endpoint wraps it in the response document.
/// </summary>
internal sealed class SandboxIamService(SandboxIamState state, IOptions<SandboxOptions> options, TimeProvider timeProvider, ILogger<SandboxIamService> logger)
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

    // ---------------------------------------------------------------- SAML providers

    private string ProviderArn(string name) => $"arn:aws:iam::{Account}:saml-provider/{name}";

    private SandboxSamlProvider ProviderByArn(AwsQueryRequest request)
    {
        var arn = request.Required("SAMLProviderArn", "sAMLProviderArn");
        AwsQueryRequest.CheckLength(arn, 20, 2048, "sAMLProviderArn");
        var prefix = $"arn:aws:iam::{Account}:saml-provider/";
        if (!arn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || !arn.Contains(":saml-provider/", StringComparison.Ordinal))
        {
            throw AwsQueryError.InvalidInput($"ARN {arn} is not valid.");
        }

        return (arn.StartsWith(prefix, StringComparison.Ordinal) ? state.Provider(arn[prefix.Length..]) : null)
            ?? throw AwsQueryError.NoSuchEntity($"Manifest not found for arn {arn}");
    }

    private SamlMetadata CheckMetadata(AwsQueryRequest request)
    {
        var document = request.Required("SAMLMetadataDocument", "sAMLMetadataDocument");
        AwsQueryRequest.CheckLength(document, SamlMetadataParser.MinimumLength, SamlMetadataParser.MaximumLength, "sAMLMetadataDocument");
        var parsed = SamlMetadataParser.Parse(document);
        if (!parsed.IsValid)
        {
            logger.LogInformation("Sandbox IAM refused SAML metadata: {Problems}", string.Join("; ", parsed.Problems.Select(p => p.Code)));
            throw AwsQueryError.InvalidInput("Could not parse metadata");
        }

        return parsed.Metadata!;
    }

    private IEnumerable<object?> CreateSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var name = request.Name("Name", 128);
        var metadata = CheckMetadata(request);
        var tags = request.Tags();
        if (state.Provider(name) is not null)
        {
            throw AwsQueryError.EntityAlreadyExists($"SAMLProvider {name} already exists");
        }

        var provider = new SandboxSamlProvider
        {
            Name = name,
            MetadataDocument = request.Required("SAMLMetadataDocument"),
            CreateDate = Now,
            ValidUntil = metadata.ValidUntil ?? Now.AddYears(100),
            Tags = [.. tags],
        };
        state.Save(provider);
        logger.LogInformation("Sandbox IAM created SAML provider {Provider}", name);
        yield return X.E("SAMLProviderArn", ProviderArn(name));
        if (tags.Count > 0)
        {
            yield return X.Tags(tags);
        }
    }

    private IEnumerable<object?> UpdateSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        var metadata = CheckMetadata(request);
        state.Save(provider with { MetadataDocument = request.Required("SAMLMetadataDocument"), ValidUntil = metadata.ValidUntil ?? provider.ValidUntil });
        yield return X.E("SAMLProviderArn", ProviderArn(provider.Name));
    }

    private IEnumerable<object?> GetSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        yield return X.E("SAMLMetadataDocument", provider.MetadataDocument);
        yield return X.Date("CreateDate", provider.CreateDate);
        yield return provider.ValidUntil is { } validUntil ? X.Date("ValidUntil", validUntil) : null;
        yield return provider.Tags.Count > 0 ? X.Tags(provider.Tags) : null;
    }

    private IEnumerable<object?> ListSamlProviders(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Members("SAMLProviderList", state.AllProviders().Select(p => new object?[]
        {
            X.E("Arn", ProviderArn(p.Name)),
            p.ValidUntil is { } validUntil ? X.Date("ValidUntil", validUntil) : null,
            X.Date("CreateDate", p.CreateDate),
        }));
    }

    private IEnumerable<object?>? DeleteSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        state.DeleteProvider(ProviderByArn(request).Name);
        return null;
    }

    private IEnumerable<object?>? TagSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        state.Save(provider with { Tags = MergeTags(provider.Tags, request.Tags()) });
        return null;
    }

    private IEnumerable<object?>? UntagSamlProvider(AwsQueryRequest request, AwsCaller caller)
    {
        var provider = ProviderByArn(request);
        var keys = request.List("TagKeys");
        state.Save(provider with { Tags = provider.Tags.Where(t => !keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).ToList() });
        return null;
    }

    private IEnumerable<object?> ListSamlProviderTags(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Tags(ProviderByArn(request).Tags);
        yield return X.E("IsTruncated", "false");
    }

    // ---------------------------------------------------------------- roles

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

    // ---------------------------------------------------------------- managed policies

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

    // ---------------------------------------------------------------- users

    private string UserArn(string name, string? path = null)
        => $"arn:aws:iam::{Account}:user{path ?? state.User(name)?.Path ?? "/"}{state.User(name)?.UserName ?? name}";

    private SandboxUser UserNamed(AwsQueryRequest request, AwsCaller? caller = null)
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

    private object[] UserXml(SandboxUser user, bool withTags) =>
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

        var user = new SandboxUser { UserName = name, UserId = SandboxIamState.NewId("AIDA", 21), Path = path, CreateDate = Now, Tags = [.. tags] };
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

    // ---------------------------------------------------------------- access keys

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

    // ---------------------------------------------------------------- account and simulation

    private IEnumerable<object?> ListAccountAliases(AwsQueryRequest request, AwsCaller caller)
    {
        yield return X.Members("AccountAliases", [$"sandbox-{Account}"]);
        yield return X.E("IsTruncated", "false");
    }

    private IEnumerable<object?> SimulatePrincipalPolicy(AwsQueryRequest request, AwsCaller caller)
    {
        var source = request.Required("PolicySourceArn");
        var actions = request.List("ActionNames");
        if (actions.Count == 0)
        {
            throw AwsQueryError.Constraint(null, "actionNames", "Member must not be null");
        }

        var resources = request.List("ResourceArns") is { Count: > 0 } listed ? listed : ["*"];
        var principal = PrincipalFor(source);
        var results = new List<object[]>();
        foreach (var action in actions)
        {
            foreach (var resource in resources)
            {
                var decision = Decide(principal, action, resource);
                results.Add(
                [
                    X.E("EvalActionName", action),
                    X.E("EvalResourceName", resource),
                    X.E("EvalDecision", decision switch { PolicyDecision.Allowed => "allowed", PolicyDecision.ExplicitDeny => "explicitDeny", _ => "implicitDeny" }),
                    X.E("MatchedStatements"),
                    X.E("MissingContextValues"),
                ]);
            }
        }

        yield return X.Members("EvaluationResults", results);
        yield return X.E("IsTruncated", "false");
    }

    private AwsCaller PrincipalFor(string arn)
    {
        var userPrefix = $"arn:aws:iam::{Account}:user/";
        var rolePrefix = $"arn:aws:iam::{Account}:role/";
        if (arn.StartsWith(userPrefix, StringComparison.Ordinal) && state.User(arn[(arn.LastIndexOf('/') + 1)..]) is { } user)
        {
            return new AwsCaller(AwsCallerKind.User, arn, user.UserId, UserName: user.UserName);
        }

        if (arn.StartsWith(rolePrefix, StringComparison.Ordinal) && state.Role(arn[(arn.LastIndexOf('/') + 1)..]) is { } role)
        {
            return new AwsCaller(AwsCallerKind.RoleSession, arn, role.RoleId, RoleName: role.RoleName);
        }

        throw AwsQueryError.NoSuchEntity($"The entity {arn} cannot be found.");
    }

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
