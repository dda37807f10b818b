namespace FederationPortal.Core.Entra;

/// <summary>
/// The Entra side of a federation environment, as the lifecycle engine needs it: the AWS gallery app, its SAML
/// settings, signing certificates, claims, app roles, assignments, provisioning connector and federation metadata.
/// Implemented over Microsoft Graph; the same implementation serves a real tenant and the sandbox tenant.
/// Every failure Graph reports surfaces as an <see cref="EntraServiceException"/> carrying Graph's error code.
/// </summary>
public interface IEntraDirectoryService
{
    /// <summary>The AWS Single-Account Access gallery template (by its id, which outlives display-name changes).</summary>
    Task<EntraApplicationTemplate> GetAwsTemplateAsync(CancellationToken cancellationToken = default);

    /// <summary>Instantiates the AWS gallery app and waits until both objects are readable (Entra creates them asynchronously).</summary>
    Task<EntraGalleryApp> InstantiateAwsAppAsync(string displayName, CancellationToken cancellationToken = default);

    /// <summary>The application object; null when it does not exist.</summary>
    Task<EntraApplicationInfo?> GetApplicationAsync(string applicationObjectId, CancellationToken cancellationToken = default);

    /// <summary>The service principal; null when it does not exist.</summary>
    Task<EntraServicePrincipalInfo?> GetServicePrincipalAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applications with exactly this display name, each with its service principal. The lifecycle engine uses it to
    /// adopt an app it instantiated just before the process stopped, instead of instantiating a second one.
    /// </summary>
    Task<IReadOnlyList<EntraGalleryApp>> FindApplicationsByDisplayNameAsync(string displayName, CancellationToken cancellationToken = default);

    /// <summary>The Graph application permissions the portal's own credentials hold (the access token's <c>roles</c>).</summary>
    Task<IReadOnlyList<string>> GetGrantedApplicationPermissionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every claims mapping policy of the tenant (to adopt one created just before the process stopped).</summary>
    Task<IReadOnlyList<EntraClaimsMappingPolicy>> ListAllClaimsMappingPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets <c>preferredSingleSignOnMode</c> to <c>saml</c>.</summary>
    Task SetSamlSingleSignOnAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The AWS identifier free in this tenant: <c>https://signin.aws.amazon.com/saml</c> for the first AWS app, then
    /// <c>…/saml#2</c>, <c>#3</c>… (identifiers are unique per tenant; Entra strips <c>#n</c> from the audience).
    /// </summary>
    Task<string> GetFreeAwsIdentifierAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the identifier (entity id) and reply URL. The identifier must be unique in the tenant (<c>…/saml#2</c> for a second app).</summary>
    Task SetSamlUrlsAsync(string applicationObjectId, string identifierUri, string replyUrl, CancellationToken cancellationToken = default);

    /// <summary>Creates a token-signing certificate (display name <c>CN=…</c>, at most three years).</summary>
    Task<EntraSigningCertificate> AddTokenSigningCertificateAsync(string servicePrincipalId, string displayName, DateTimeOffset endDateTime, CancellationToken cancellationToken = default);

    /// <summary>Makes the certificate with this thumbprint the active signing certificate.</summary>
    Task SetPreferredTokenSigningThumbprintAsync(string servicePrincipalId, string thumbprint, CancellationToken cancellationToken = default);

    /// <summary>
    /// The service principal's token-signing certificates (one per Verify key credential), with their public certificates:
    /// Graph returns a key credential's <c>key</c> only on <c>$select=keyCredentials</c> of a single object.
    /// </summary>
    Task<IReadOnlyList<EntraSigningCertificate>> ListTokenSigningCertificatesAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a token-signing certificate: PATCHes the service principal's <c>keyCredentials</c> and <c>passwordCredentials</c>
    /// without the Sign and Verify keys and the password credential sharing its <c>customKeyIdentifier</c>. Entra refuses to
    /// remove the active (preferred) certificate.
    /// </summary>
    Task RemoveTokenSigningCertificateAsync(string servicePrincipalId, string thumbprint, CancellationToken cancellationToken = default);

    /// <summary>Creates a claims mapping policy from its definition JSON; returns its id.</summary>
    Task<string> CreateClaimsMappingPolicyAsync(string displayName, string definitionJson, CancellationToken cancellationToken = default);

    Task AssignClaimsMappingPolicyAsync(string servicePrincipalId, string policyId, CancellationToken cancellationToken = default);

    Task RemoveClaimsMappingPolicyAsync(string servicePrincipalId, string policyId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EntraClaimsMappingPolicy>> ListClaimsMappingPoliciesAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    Task DeleteClaimsMappingPolicyAsync(string policyId, CancellationToken cancellationToken = default);

    /// <summary>The service principal's app roles.</summary>
    Task<IReadOnlyList<EntraAppRole>> GetAppRolesAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the service principal's app roles (a role must be disabled in one call before another removes it).</summary>
    Task SetAppRolesAsync(string servicePrincipalId, IReadOnlyList<EntraAppRole> appRoles, CancellationToken cancellationToken = default);

    /// <summary>Assigns a user or group to an app role; returns the assignment.</summary>
    Task<EntraAppRoleAssignment> AssignAppRoleAsync(string servicePrincipalId, string principalId, Guid appRoleId, CancellationToken cancellationToken = default);

    Task RemoveAppRoleAssignmentAsync(string servicePrincipalId, string assignmentId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EntraAppRoleAssignment>> ListAppRoleAssignmentsAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    /// <summary>Users, optionally those whose display name or UPN starts with <paramref name="startsWith"/>. All pages.</summary>
    Task<IReadOnlyList<EntraUser>> ListUsersAsync(string? startsWith = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EntraGroup>> ListGroupsAsync(string? startsWith = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EntraUser>> ListGroupMembersAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Downloads the app's federation metadata, parses it and verifies its signature.</summary>
    Task<FederationMetadata> GetFederationMetadataAsync(string appId, CancellationToken cancellationToken = default);

    /// <summary>The provisioning templates offered for the service principal (the AWS app has <c>aws</c>).</summary>
    Task<IReadOnlyList<string>> ListSynchronizationTemplateIdsAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    Task<EntraSynchronizationJob> CreateSynchronizationJobAsync(string servicePrincipalId, string templateId, CancellationToken cancellationToken = default);

    /// <summary>"Test Connection": Entra calls AWS with the key; throws when the key cannot list roles.</summary>
    Task ValidateSynchronizationCredentialsAsync(string servicePrincipalId, string jobId, string accessKeyId, string secretAccessKey, CancellationToken cancellationToken = default);

    Task SaveSynchronizationSecretsAsync(string servicePrincipalId, string accessKeyId, string secretAccessKey, CancellationToken cancellationToken = default);

    Task StartSynchronizationJobAsync(string servicePrincipalId, string jobId, CancellationToken cancellationToken = default);

    Task<EntraSynchronizationJob?> GetSynchronizationJobAsync(string servicePrincipalId, string jobId, CancellationToken cancellationToken = default);

    /// <summary>The provisioning log entries (one per cycle) of the service principal, newest first.</summary>
    Task<IReadOnlyList<EntraProvisioningRun>> ListProvisioningRunsAsync(string servicePrincipalId, CancellationToken cancellationToken = default);

    Task DeleteSynchronizationJobAsync(string servicePrincipalId, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the application (Entra removes its service principal with it). Missing is not an error.</summary>
    Task DeleteApplicationAsync(string applicationObjectId, CancellationToken cancellationToken = default);
}
