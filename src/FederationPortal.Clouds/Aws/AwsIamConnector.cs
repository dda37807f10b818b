using System.Globalization;
using System.Xml.Linq;
using FederationPortal.Core.Aws;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// <see cref="IAwsIam"/> over the IAM Query API. Requests carry the parameters the AWS CLI sends (e.g. ListRoles:
/// <c>Action</c>, <c>Version</c>, and <c>Marker</c> on later pages only); lists follow <c>IsTruncated</c>/<c>Marker</c>.
/// </summary>
internal sealed class AwsIamConnector(AwsQueryClient client) : IAwsIam
{
    private XNamespace Ns => client.Namespace;

    // ---------------------------------------------------------------- SAML providers

    public async Task<string> CreateSamlProviderAsync(string name, string metadataDocument, IReadOnlyList<AwsTag>? tags = null, CancellationToken cancellationToken = default)
    {
        var result = await client.InvokeAsync("CreateSAMLProvider", [P("SAMLMetadataDocument", metadataDocument), P("Name", name), .. Tags(tags)], cancellationToken,
            recoverAfterLostResponse: async error =>
            {
                if (error.Code != "EntityAlreadyExists")
                {
                    return null;
                }

                var arn = (await ListSamlProvidersAsync(cancellationToken)).FirstOrDefault(p => p.Arn.EndsWith(":saml-provider/" + name, StringComparison.Ordinal))?.Arn;
                var existing = arn is null ? null : await GetSamlProviderAsync(arn, cancellationToken);
                return existing?.MetadataDocument == metadataDocument ? new XElement(Ns + "CreateSAMLProviderResult", new XElement(Ns + "SAMLProviderArn", arn)) : null;
            });
        return Text(result, "SAMLProviderArn");
    }

    public async Task<string> UpdateSamlProviderAsync(string providerArn, string metadataDocument, CancellationToken cancellationToken = default)
        => Text(await client.InvokeAsync("UpdateSAMLProvider", [P("SAMLMetadataDocument", metadataDocument), P("SAMLProviderArn", providerArn)], cancellationToken), "SAMLProviderArn");

    public async Task<IamSamlProvider?> GetSamlProviderAsync(string providerArn, CancellationToken cancellationToken = default)
    {
        var result = await OrNullAsync(client.InvokeAsync("GetSAMLProvider", [P("SAMLProviderArn", providerArn)], cancellationToken));
        return result is null ? null : new IamSamlProvider(providerArn, OptionalDate(result, "CreateDate"), OptionalDate(result, "ValidUntil"), OptionalText(result, "SAMLMetadataDocument"), TagsOf(result));
    }

    public async Task<IReadOnlyList<IamSamlProvider>> ListSamlProvidersAsync(CancellationToken cancellationToken = default)
    {
        var result = await client.InvokeAsync("ListSAMLProviders", [], cancellationToken);
        return Members(result, "SAMLProviderList").Select(m => new IamSamlProvider(Text(m, "Arn"), OptionalDate(m, "CreateDate"), OptionalDate(m, "ValidUntil"))).ToList();
    }

    public Task DeleteSamlProviderAsync(string providerArn, CancellationToken cancellationToken = default)
        => DeleteAsync("DeleteSAMLProvider", [P("SAMLProviderArn", providerArn)], cancellationToken);

    public Task TagSamlProviderAsync(string providerArn, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken = default)
        => client.InvokeAsync("TagSAMLProvider", [P("SAMLProviderArn", providerArn), .. Tags(tags)], cancellationToken);

    // ---------------------------------------------------------------- roles

    public async Task<IamRole> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await client.InvokeAsync("CreateRole",
            [
                P("Path", request.Path == "/" ? null : request.Path),
                P("RoleName", request.RoleName),
                P("AssumeRolePolicyDocument", request.AssumeRolePolicyDocument),
                P("Description", request.Description),
                P("MaxSessionDuration", request.MaxSessionDuration?.ToString(CultureInfo.InvariantCulture)),
                .. Tags(request.Tags),
            ],
            cancellationToken,
            recoverAfterLostResponse: async error =>
            {
                var existing = error.Code == "EntityAlreadyExists" ? await GetRoleAsync(request.RoleName, cancellationToken) : null;
                return existing is not null && existing.Path == request.Path && SameJson(existing.AssumeRolePolicyDocument, request.AssumeRolePolicyDocument)
                    ? new XElement(Ns + "CreateRoleResult", new XElement(Ns + "Role", RoleBack(existing)))
                    : null;
            });
        return Role(result.Element(Ns + "Role")!);
    }

    public async Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken = default)
    {
        var result = await OrNullAsync(client.InvokeAsync("GetRole", [P("RoleName", roleName)], cancellationToken));
        return result is null ? null : Role(result.Element(Ns + "Role")!);
    }

    public async Task<IReadOnlyList<IamRole>> ListRolesAsync(string? pathPrefix = null, CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListRoles", [P("PathPrefix", pathPrefix)], "Roles", cancellationToken)).Select(Role).ToList();

    public Task UpdateRoleAsync(string roleName, string? description, int? maxSessionDuration, CancellationToken cancellationToken = default)
        => client.InvokeAsync("UpdateRole", [P("RoleName", roleName), P("Description", description), P("MaxSessionDuration", maxSessionDuration?.ToString(CultureInfo.InvariantCulture))], cancellationToken);

    public Task UpdateAssumeRolePolicyAsync(string roleName, string policyDocument, CancellationToken cancellationToken = default)
        => client.InvokeAsync("UpdateAssumeRolePolicy", [P("RoleName", roleName), P("PolicyDocument", policyDocument)], cancellationToken);

    public Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default)
        => DeleteAsync("DeleteRole", [P("RoleName", roleName)], cancellationToken);

    public Task TagRoleAsync(string roleName, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken = default)
        => client.InvokeAsync("TagRole", [P("RoleName", roleName), .. Tags(tags)], cancellationToken);

    public Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default)
        => client.InvokeAsync("AttachRolePolicy", [P("RoleName", roleName), P("PolicyArn", policyArn)], cancellationToken);

    public Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default)
        => DeleteAsync("DetachRolePolicy", [P("RoleName", roleName), P("PolicyArn", policyArn)], cancellationToken);

    public async Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListAttachedRolePolicies", [P("RoleName", roleName)], "AttachedPolicies", cancellationToken)).Select(Attached).ToList();

    public Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken cancellationToken = default)
        => client.InvokeAsync("PutRolePolicy", [P("RoleName", roleName), P("PolicyName", policyName), P("PolicyDocument", policyDocument)], cancellationToken);

    public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default)
        => DeleteAsync("DeleteRolePolicy", [P("RoleName", roleName), P("PolicyName", policyName)], cancellationToken);

    public async Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListRolePolicies", [P("RoleName", roleName)], "PolicyNames", cancellationToken)).Select(m => m.Value).ToList();

    // ---------------------------------------------------------------- managed policies

    public async Task<IamManagedPolicy> CreatePolicyAsync(string policyName, string policyDocument, string? description = null, CancellationToken cancellationToken = default)
    {
        var result = await client.InvokeAsync("CreatePolicy", [P("PolicyName", policyName), P("PolicyDocument", policyDocument), P("Description", description)], cancellationToken,
            recoverAfterLostResponse: async error =>
            {
                if (error.Code != "EntityAlreadyExists")
                {
                    return null;
                }

                var existing = (await ListPoliciesAsync("Local", cancellationToken)).FirstOrDefault(p => p.PolicyName == policyName && p.Path == "/");
                var document = existing is null ? null : await GetPolicyVersionDocumentAsync(existing.Arn, existing.DefaultVersionId, cancellationToken);
                return existing is not null && SameJson(document, policyDocument)
                    ? new XElement(Ns + "CreatePolicyResult", new XElement(Ns + "Policy", PolicyBack(existing)))
                    : null;
            });
        return Policy(result.Element(Ns + "Policy")!);
    }

    public async Task<IamManagedPolicy?> GetPolicyAsync(string policyArn, CancellationToken cancellationToken = default)
    {
        var result = await OrNullAsync(client.InvokeAsync("GetPolicy", [P("PolicyArn", policyArn)], cancellationToken));
        return result is null ? null : Policy(result.Element(Ns + "Policy")!);
    }

    public async Task<string> GetPolicyVersionDocumentAsync(string policyArn, string versionId, CancellationToken cancellationToken = default)
    {
        var result = await client.InvokeAsync("GetPolicyVersion", [P("PolicyArn", policyArn), P("VersionId", versionId)], cancellationToken);
        return Uri.UnescapeDataString(Text(result.Element(Ns + "PolicyVersion")!, "Document"));
    }

    public async Task<IReadOnlyList<IamManagedPolicy>> ListPoliciesAsync(string scope = "Local", CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListPolicies", [P("Scope", scope)], "Policies", cancellationToken)).Select(Policy).ToList();

    public async Task<IamPolicyEntities> ListEntitiesForPolicyAsync(string policyArn, CancellationToken cancellationToken = default)
    {
        var result = await client.InvokeAsync("ListEntitiesForPolicy", [P("PolicyArn", policyArn)], cancellationToken);
        return new IamPolicyEntities(
            Members(result, "PolicyRoles").Select(m => Text(m, "RoleName")).ToList(),
            Members(result, "PolicyUsers").Select(m => Text(m, "UserName")).ToList());
    }

    public Task DeletePolicyAsync(string policyArn, CancellationToken cancellationToken = default)
        => DeleteAsync("DeletePolicy", [P("PolicyArn", policyArn)], cancellationToken);

    // ---------------------------------------------------------------- users and keys

    public async Task<IamUser> CreateUserAsync(string userName, IReadOnlyList<AwsTag>? tags = null, CancellationToken cancellationToken = default)
    {
        var result = await client.InvokeAsync("CreateUser", [P("UserName", userName), .. Tags(tags)], cancellationToken,
            recoverAfterLostResponse: async error =>
            {
                var existing = error.Code == "EntityAlreadyExists" ? await GetUserAsync(userName, cancellationToken) : null;
                return existing is { Path: "/" }
                    ? new XElement(Ns + "CreateUserResult", new XElement(Ns + "User",
                        new XElement(Ns + "Path", existing.Path), new XElement(Ns + "UserName", existing.UserName), new XElement(Ns + "UserId", existing.UserId),
                        new XElement(Ns + "Arn", existing.Arn), new XElement(Ns + "CreateDate", Iso(existing.CreateDate))))
                    : null;
            });
        return User(result.Element(Ns + "User")!);
    }

    public async Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken = default)
    {
        var result = await OrNullAsync(client.InvokeAsync("GetUser", [P("UserName", userName)], cancellationToken));
        return result is null ? null : User(result.Element(Ns + "User")!);
    }

    public async Task<IReadOnlyList<IamUser>> ListUsersAsync(CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListUsers", [], "Users", cancellationToken)).Select(User).ToList();

    public Task DeleteUserAsync(string userName, CancellationToken cancellationToken = default)
        => DeleteAsync("DeleteUser", [P("UserName", userName)], cancellationToken);

    public Task AttachUserPolicyAsync(string userName, string policyArn, CancellationToken cancellationToken = default)
        => client.InvokeAsync("AttachUserPolicy", [P("UserName", userName), P("PolicyArn", policyArn)], cancellationToken);

    public Task DetachUserPolicyAsync(string userName, string policyArn, CancellationToken cancellationToken = default)
        => DeleteAsync("DetachUserPolicy", [P("UserName", userName), P("PolicyArn", policyArn)], cancellationToken);

    public async Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedUserPoliciesAsync(string userName, CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListAttachedUserPolicies", [P("UserName", userName)], "AttachedPolicies", cancellationToken)).Select(Attached).ToList();

    public Task PutUserPolicyAsync(string userName, string policyName, string policyDocument, CancellationToken cancellationToken = default)
        => client.InvokeAsync("PutUserPolicy", [P("UserName", userName), P("PolicyName", policyName), P("PolicyDocument", policyDocument)], cancellationToken);

    public Task DeleteUserPolicyAsync(string userName, string policyName, CancellationToken cancellationToken = default)
        => DeleteAsync("DeleteUserPolicy", [P("UserName", userName), P("PolicyName", policyName)], cancellationToken);

    public async Task<IReadOnlyList<string>> ListUserPoliciesAsync(string userName, CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListUserPolicies", [P("UserName", userName)], "PolicyNames", cancellationToken)).Select(m => m.Value).ToList();

    public async Task<IamAccessKey> CreateAccessKeyAsync(string userName, CancellationToken cancellationToken = default)
    {
        var result = await client.InvokeAsync("CreateAccessKey", [P("UserName", userName)], cancellationToken, AwsRetryMode.ThrottlingOnly);
        var key = result.Element(Ns + "AccessKey")!;
        return new IamAccessKey(Text(key, "UserName"), Text(key, "AccessKeyId"), Text(key, "Status"), Text(key, "SecretAccessKey"), OptionalDate(key, "CreateDate") ?? default);
    }

    public async Task<IReadOnlyList<IamAccessKeyMetadata>> ListAccessKeysAsync(string userName, CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListAccessKeys", [P("UserName", userName)], "AccessKeyMetadata", cancellationToken))
            .Select(m => new IamAccessKeyMetadata(Text(m, "UserName"), Text(m, "AccessKeyId"), Text(m, "Status"), OptionalDate(m, "CreateDate") ?? default)).ToList();

    public Task UpdateAccessKeyAsync(string userName, string accessKeyId, string status, CancellationToken cancellationToken = default)
        => client.InvokeAsync("UpdateAccessKey", [P("UserName", userName), P("AccessKeyId", accessKeyId), P("Status", status)], cancellationToken);

    public Task DeleteAccessKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken = default)
        => DeleteAsync("DeleteAccessKey", [P("UserName", userName), P("AccessKeyId", accessKeyId)], cancellationToken);

    // ---------------------------------------------------------------- account and diagnostics

    public async Task<IReadOnlyList<string>> ListAccountAliasesAsync(CancellationToken cancellationToken = default)
        => (await ListAllAsync("ListAccountAliases", [], "AccountAliases", cancellationToken)).Select(m => m.Value).ToList();

    public async Task<IReadOnlyList<IamSimulationResult>> SimulatePrincipalPolicyAsync(
        string policySourceArn, IReadOnlyList<string> actionNames, IReadOnlyList<string>? resourceArns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actionNames);
        var parameters = new List<KeyValuePair<string, string?>> { P("PolicySourceArn", policySourceArn) };
        parameters.AddRange(actionNames.Select((a, i) => P($"ActionNames.member.{i + 1}", a)));
        parameters.AddRange((resourceArns ?? []).Select((r, i) => P($"ResourceArns.member.{i + 1}", r)));
        var results = await ListAllAsync("SimulatePrincipalPolicy", parameters, "EvaluationResults", cancellationToken);
        return results.Select(m => new IamSimulationResult(Text(m, "EvalActionName"), OptionalText(m, "EvalResourceName") ?? "*", Text(m, "EvalDecision"))).ToList();
    }

    // ---------------------------------------------------------------- plumbing

    private static KeyValuePair<string, string?> P(string name, string? value) => new(name, value);

    private static IEnumerable<KeyValuePair<string, string?>> Tags(IReadOnlyList<AwsTag>? tags)
        => (tags ?? []).SelectMany((t, i) => new[] { P($"Tags.member.{i + 1}.Key", t.Key), P($"Tags.member.{i + 1}.Value", t.Value) });

    /// <summary>Follows <c>IsTruncated</c>/<c>Marker</c>; the first request carries no Marker and no MaxItems, as the AWS CLI's.</summary>
    private async Task<List<XElement>> ListAllAsync(string action, IReadOnlyList<KeyValuePair<string, string?>> parameters, string listElement, CancellationToken cancellationToken)
    {
        var all = new List<XElement>();
        string? marker = null;
        do
        {
            var result = await client.InvokeAsync(action, marker is null ? parameters : [.. parameters, P("Marker", marker)], cancellationToken);
            all.AddRange(Members(result, listElement));
            marker = OptionalText(result, "IsTruncated") == "true" ? OptionalText(result, "Marker") : null;
        }
        while (marker is not null);

        return all;
    }

    /// <summary>A delete retried after a lost response that then finds nothing has succeeded.</summary>
    private Task DeleteAsync(string action, IReadOnlyList<KeyValuePair<string, string?>> parameters, CancellationToken cancellationToken)
        => client.InvokeAsync(action, parameters, cancellationToken,
            recoverAfterLostResponse: error => Task.FromResult(error.Code == "NoSuchEntity" ? new XElement(Ns + (action + "Result")) : null));

    private static async Task<XElement?> OrNullAsync(Task<XElement> call)
    {
        try
        {
            return await call;
        }
        catch (AwsServiceException error) when (error.Code == "NoSuchEntity")
        {
            return null;
        }
    }

    private IEnumerable<XElement> Members(XElement parent, string name)
        => parent.Element(Ns + name)?.Elements(Ns + "member") ?? [];

    private string Text(XElement parent, string name)
        => parent.Element(Ns + name)?.Value ?? throw new AwsServiceException("MalformedResponse", $"The response has no {name}.", System.Net.HttpStatusCode.OK);

    private string? OptionalText(XElement parent, string name) => parent.Element(Ns + name)?.Value;

    private DateTimeOffset? OptionalDate(XElement parent, string name)
        => OptionalText(parent, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;

    private List<AwsTag> TagsOf(XElement parent) => Members(parent, "Tags").Select(t => new AwsTag(Text(t, "Key"), Text(t, "Value"))).ToList();

    private IamRole Role(XElement role) => new(
        Text(role, "RoleName"),
        Text(role, "RoleId"),
        Text(role, "Arn"),
        Text(role, "Path"),
        OptionalDate(role, "CreateDate") ?? default,
        OptionalText(role, "AssumeRolePolicyDocument") is { } document ? Uri.UnescapeDataString(document) : null,
        OptionalText(role, "Description"),
        int.TryParse(OptionalText(role, "MaxSessionDuration"), CultureInfo.InvariantCulture, out var max) ? max : 3600,
        TagsOf(role));

    private object[] RoleBack(IamRole role) =>
    [
        new XElement(Ns + "Path", role.Path), new XElement(Ns + "RoleName", role.RoleName), new XElement(Ns + "RoleId", role.RoleId),
        new XElement(Ns + "Arn", role.Arn), new XElement(Ns + "CreateDate", Iso(role.CreateDate)),
        new XElement(Ns + "AssumeRolePolicyDocument", Uri.EscapeDataString(role.AssumeRolePolicyDocument ?? "")),
        role.Description is null ? null! : new XElement(Ns + "Description", role.Description),
        new XElement(Ns + "MaxSessionDuration", role.MaxSessionDuration),
    ];

    private IamUser User(XElement user) => new(
        Text(user, "UserName"), Text(user, "UserId"), Text(user, "Arn"), Text(user, "Path"), OptionalDate(user, "CreateDate") ?? default, TagsOf(user));

    private IamManagedPolicy Policy(XElement policy) => new(
        Text(policy, "PolicyName"),
        Text(policy, "PolicyId"),
        Text(policy, "Arn"),
        OptionalText(policy, "Path") ?? "/",
        OptionalText(policy, "DefaultVersionId") ?? "v1",
        int.TryParse(OptionalText(policy, "AttachmentCount"), CultureInfo.InvariantCulture, out var count) ? count : 0,
        OptionalText(policy, "IsAttachable") != "false",
        OptionalText(policy, "Description"),
        OptionalDate(policy, "CreateDate") ?? default,
        OptionalDate(policy, "UpdateDate") ?? default);

    private object[] PolicyBack(IamManagedPolicy policy) =>
    [
        new XElement(Ns + "PolicyName", policy.PolicyName), new XElement(Ns + "PolicyId", policy.PolicyId), new XElement(Ns + "Arn", policy.Arn),
        new XElement(Ns + "Path", policy.Path), new XElement(Ns + "DefaultVersionId", policy.DefaultVersionId),
        new XElement(Ns + "AttachmentCount", policy.AttachmentCount), new XElement(Ns + "IsAttachable", policy.IsAttachable ? "true" : "false"),
        new XElement(Ns + "CreateDate", Iso(policy.CreateDate)), new XElement(Ns + "UpdateDate", Iso(policy.UpdateDate)),
    ];

    private IamAttachedPolicy Attached(XElement member) => new(Text(member, "PolicyName"), Text(member, "PolicyArn"));

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool SameJson(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }

        try
        {
            using var left = System.Text.Json.JsonDocument.Parse(a);
            using var right = System.Text.Json.JsonDocument.Parse(b);
            return System.Text.Json.JsonElement.DeepEquals(left.RootElement, right.RootElement);
        }
        catch (System.Text.Json.JsonException)
        {
            return string.Equals(a, b, StringComparison.Ordinal);
        }
    }
}
