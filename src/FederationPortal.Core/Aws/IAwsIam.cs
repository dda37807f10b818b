namespace FederationPortal.Core.Aws;

/// <summary>
/// AWS IAM as the portal uses it. One adapter serves Live (real IAM) and Sandbox (the portal's emulated account);
/// failures are <see cref="AwsServiceException"/> with AWS's error code. Lists follow every page. Creates are safe
/// to retry: an <c>EntityAlreadyExists</c> met after a lost response on an identical entity counts as success.
/// </summary>
public interface IAwsIam
{
    // SAML providers
    Task<string> CreateSamlProviderAsync(string name, string metadataDocument, IReadOnlyList<AwsTag>? tags = null, CancellationToken cancellationToken = default);

    Task<string> UpdateSamlProviderAsync(string providerArn, string metadataDocument, CancellationToken cancellationToken = default);

    /// <summary>The provider, or null when it does not exist.</summary>
    Task<IamSamlProvider?> GetSamlProviderAsync(string providerArn, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IamSamlProvider>> ListSamlProvidersAsync(CancellationToken cancellationToken = default);

    Task DeleteSamlProviderAsync(string providerArn, CancellationToken cancellationToken = default);

    Task TagSamlProviderAsync(string providerArn, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken = default);

    // Roles
    Task<IamRole> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>The role, or null when it does not exist.</summary>
    Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IamRole>> ListRolesAsync(string? pathPrefix = null, CancellationToken cancellationToken = default);

    Task UpdateRoleAsync(string roleName, string? description, int? maxSessionDuration, CancellationToken cancellationToken = default);

    Task UpdateAssumeRolePolicyAsync(string roleName, string policyDocument, CancellationToken cancellationToken = default);

    Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default);

    Task TagRoleAsync(string roleName, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken = default);

    Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default);

    Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken = default);

    Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken cancellationToken = default);

    Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken = default);

    // Managed policies
    Task<IamManagedPolicy> CreatePolicyAsync(string policyName, string policyDocument, string? description = null, CancellationToken cancellationToken = default);

    Task<IamManagedPolicy?> GetPolicyAsync(string policyArn, CancellationToken cancellationToken = default);

    /// <summary>The decoded JSON of a policy version.</summary>
    Task<string> GetPolicyVersionDocumentAsync(string policyArn, string versionId, CancellationToken cancellationToken = default);

    /// <summary><paramref name="scope"/>: <c>All</c>, <c>AWS</c> or <c>Local</c>.</summary>
    Task<IReadOnlyList<IamManagedPolicy>> ListPoliciesAsync(string scope = "Local", CancellationToken cancellationToken = default);

    Task<IamPolicyEntities> ListEntitiesForPolicyAsync(string policyArn, CancellationToken cancellationToken = default);

    Task DeletePolicyAsync(string policyArn, CancellationToken cancellationToken = default);

    // Users and access keys
    Task<IamUser> CreateUserAsync(string userName, IReadOnlyList<AwsTag>? tags = null, CancellationToken cancellationToken = default);

    Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IamUser>> ListUsersAsync(CancellationToken cancellationToken = default);

    Task DeleteUserAsync(string userName, CancellationToken cancellationToken = default);

    Task AttachUserPolicyAsync(string userName, string policyArn, CancellationToken cancellationToken = default);

    Task DetachUserPolicyAsync(string userName, string policyArn, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IamAttachedPolicy>> ListAttachedUserPoliciesAsync(string userName, CancellationToken cancellationToken = default);

    Task PutUserPolicyAsync(string userName, string policyName, string policyDocument, CancellationToken cancellationToken = default);

    Task DeleteUserPolicyAsync(string userName, string policyName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListUserPoliciesAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>Creates a key; the result holds the only copy of the secret. Retried only on throttling (a retry after a lost response would create a second key).</summary>
    Task<IamAccessKey> CreateAccessKeyAsync(string userName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IamAccessKeyMetadata>> ListAccessKeysAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary><paramref name="status"/>: <c>Active</c> or <c>Inactive</c>.</summary>
    Task UpdateAccessKeyAsync(string userName, string accessKeyId, string status, CancellationToken cancellationToken = default);

    Task DeleteAccessKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken = default);

    // Account and diagnostics
    Task<IReadOnlyList<string>> ListAccountAliasesAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IamSimulationResult>> SimulatePrincipalPolicyAsync(string policySourceArn, IReadOnlyList<string> actionNames, IReadOnlyList<string>? resourceArns = null, CancellationToken cancellationToken = default);
}
