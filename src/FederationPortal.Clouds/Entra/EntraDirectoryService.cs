using FederationPortal.Core.Clouds;
using FederationPortal.Core.Entra;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.ServicePrincipals.Item.AddTokenSigningCertificate;
using Microsoft.Graph.ServicePrincipals.Item.Synchronization.Jobs.Item.ValidateCredentials;
using Microsoft.Graph.ServicePrincipals.Item.Synchronization.Secrets;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// <see cref="IEntraDirectoryService"/> over the Microsoft Graph SDK. The same code serves a real tenant and the
/// sandbox: only the base URL and the credential differ. The client comes from <see cref="GraphServiceClientFactory"/>
/// (one retry policy, no redirects); Graph errors become <see cref="EntraServiceException"/>.
/// </summary>
internal sealed class EntraDirectoryService(
    ICloudEndpointsProvider endpointsProvider,
    GraphServiceClientFactory graphClients,
    IHttpClientFactory httpClientFactory,
    TimeProvider time,
    ILogger<EntraDirectoryService> logger) : IEntraDirectoryService
{
    public const string HttpClientName = GraphServiceClientFactory.TokenClientName;

    /// <summary>How long <see cref="InstantiateAwsAppAsync"/> waits for the new objects to become readable.</summary>
    internal TimeSpan InstantiationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    private GraphServiceClient Graph => graphClients.For(endpointsProvider.GetEndpoints());

    public Task<EntraApplicationTemplate> GetAwsTemplateAsync(CancellationToken cancellationToken = default) => Call("get application template", async () =>
    {
        var template = await Graph.ApplicationTemplates[EntraWellKnown.AwsSingleAccountTemplateId].GetAsync(cancellationToken: cancellationToken)
                       ?? throw new EntraServiceException("Request_ResourceNotFound", 404, "The AWS gallery template was not returned.");
        return new EntraApplicationTemplate(template.Id!, template.DisplayName ?? "", template.Publisher, template.SupportedSingleSignOnModes ?? []);
    });

    public async Task<EntraGalleryApp> InstantiateAwsAppAsync(string displayName, CancellationToken cancellationToken = default)
    {
        var created = await Call("instantiate the AWS gallery app", () => Graph.ApplicationTemplates[EntraWellKnown.AwsSingleAccountTemplateId].Instantiate
            .PostAsync(new() { DisplayName = displayName }, cancellationToken: cancellationToken));
        var appId = created?.Application?.Id ?? throw new EntraServiceException("InvalidResponse", 201, "instantiate returned no application.");
        var spId = created.ServicePrincipal?.Id ?? throw new EntraServiceException("InvalidResponse", 201, "instantiate returned no service principal.");
        logger.LogInformation("Instantiated AWS gallery app {ApplicationId} / {ServicePrincipalId}; waiting until it is readable", appId, spId);

        // Entra creates the objects asynchronously: poll until both are readable.
        var deadline = time.GetUtcNow() + InstantiationTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var application = await GetApplicationAsync(appId, cancellationToken);
            var servicePrincipal = application is null ? null : await GetServicePrincipalAsync(spId, cancellationToken);
            if (application is not null && servicePrincipal is not null)
            {
                return new EntraGalleryApp(application, servicePrincipal);
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new EntraServiceException("Request_ResourceNotFound", 404, $"The instantiated application {appId} did not become readable within {InstantiationTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }
    }

    public Task<EntraApplicationInfo?> GetApplicationAsync(string applicationObjectId, CancellationToken cancellationToken = default) => CallOrNull("get application", async () =>
    {
        var app = await Graph.Applications[applicationObjectId].GetAsync(cancellationToken: cancellationToken);
        return app is null ? null : new EntraApplicationInfo(app.Id!, app.AppId!, app.DisplayName ?? "", app.IdentifierUris ?? [], app.Web?.RedirectUris ?? []);
    });

    public Task<EntraServicePrincipalInfo?> GetServicePrincipalAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => CallOrNull("get service principal", async () =>
    {
        var sp = await Graph.ServicePrincipals[servicePrincipalId].GetAsync(cancellationToken: cancellationToken);
        return sp is null ? null : new EntraServicePrincipalInfo(
            sp.Id!,
            sp.AppId!,
            sp.DisplayName ?? "",
            sp.PreferredSingleSignOnMode,
            sp.PreferredTokenSigningKeyThumbprint,
            (sp.AppRoles ?? []).Select(ToModel).ToList(),
            (sp.KeyCredentials ?? []).Select(k => new EntraKeyCredential(
                k.KeyId ?? Guid.Empty, k.DisplayName, k.Type ?? "", k.Usage ?? "", k.StartDateTime, k.EndDateTime,
                k.CustomKeyIdentifier is null ? null : Convert.ToBase64String(k.CustomKeyIdentifier))).ToList());
    });

    public Task<IReadOnlyList<EntraGalleryApp>> FindApplicationsByDisplayNameAsync(string displayName, CancellationToken cancellationToken = default) => Call("find applications by name", async () =>
    {
        var literal = displayName.Replace("'", "''", StringComparison.Ordinal);
        var apps = await Graph.Applications.GetAsync(r => r.QueryParameters.Filter = $"displayName eq '{literal}'", cancellationToken);
        var found = new List<EntraGalleryApp>();
        foreach (var app in apps?.Value ?? [])
        {
            var sps = await Graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{app.AppId}'", cancellationToken);
            if (sps?.Value?.FirstOrDefault()?.Id is { } spId && await GetServicePrincipalAsync(spId, cancellationToken) is { } sp)
            {
                found.Add(new EntraGalleryApp(new EntraApplicationInfo(app.Id!, app.AppId!, app.DisplayName ?? "", app.IdentifierUris ?? [], app.Web?.RedirectUris ?? []), sp));
            }
        }

        return (IReadOnlyList<EntraGalleryApp>)found;
    });

    public async Task<IReadOnlyList<string>> GetGrantedApplicationPermissionsAsync(CancellationToken cancellationToken = default)
    {
        var endpoints = endpointsProvider.GetEndpoints();
        var credential = GraphCredentials.For(endpoints, httpClientFactory.CreateClient(HttpClientName), time);
        var scope = endpoints.IsSandbox ? "https://graph.microsoft.com/.default" : new Uri(endpoints.GraphBaseUrl, "/.default").ToString();
        Azure.Core.AccessToken token;
        try
        {
            token = await credential.GetTokenAsync(new Azure.Core.TokenRequestContext([scope]), cancellationToken);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw new EntraServiceException("AuthenticationFailed", 401, ex.Message, ex);
        }

        // The token is for Graph, not for us: we only read which application permissions (roles) it carries.
        var parts = token.Token.Split('.');
        if (parts.Length < 2)
        {
            return [];
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == System.Text.Json.JsonValueKind.Array
            ? roles.EnumerateArray().Select(r => r.GetString() ?? string.Empty).Where(r => r.Length > 0).ToList()
            : [];
    }

    public Task<IReadOnlyList<EntraClaimsMappingPolicy>> ListAllClaimsMappingPoliciesAsync(CancellationToken cancellationToken = default) => Call("list claims mapping policies", async () =>
    {
        var page = await Graph.Policies.ClaimsMappingPolicies.GetAsync(cancellationToken: cancellationToken);
        return (IReadOnlyList<EntraClaimsMappingPolicy>)(page?.Value ?? []).Select(p => new EntraClaimsMappingPolicy(p.Id!, p.DisplayName ?? "", p.Definition ?? [])).ToList();
    });

    public Task SetSamlSingleSignOnAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => Call("set SAML single sign-on", () =>
        Graph.ServicePrincipals[servicePrincipalId].PatchAsync(new ServicePrincipal { PreferredSingleSignOnMode = "saml" }, cancellationToken: cancellationToken));

    public Task<string> GetFreeAwsIdentifierAsync(CancellationToken cancellationToken = default) => Call("find a free AWS identifier", async () =>
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var page = await Graph.Applications.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"identifierUris/any(x:startswith(x,'{EntraWellKnown.AwsSignInUrl}'))";
            r.QueryParameters.Select = ["id", "identifierUris"];
        }, cancellationToken);
        while (page is not null)
        {
            taken.UnionWith((page.Value ?? []).SelectMany(a => a.IdentifierUris ?? []));
            page = page.OdataNextLink is { } next ? await Graph.Applications.WithUrl(next).GetAsync(cancellationToken: cancellationToken) : null;
        }

        if (!taken.Contains(EntraWellKnown.AwsSignInUrl))
        {
            return EntraWellKnown.AwsSignInUrl;
        }

        var n = 2;
        while (taken.Contains($"{EntraWellKnown.AwsSignInUrl}#{n}"))
        {
            n++;
        }

        return $"{EntraWellKnown.AwsSignInUrl}#{n}";
    });

    public Task SetSamlUrlsAsync(string applicationObjectId, string identifierUri, string replyUrl, CancellationToken cancellationToken = default) => Call("set identifier and reply URL", () =>
        Graph.Applications[applicationObjectId].PatchAsync(
            new Application { IdentifierUris = [identifierUri], Web = new WebApplication { RedirectUris = [replyUrl] } },
            cancellationToken: cancellationToken));

    public Task<EntraSigningCertificate> AddTokenSigningCertificateAsync(string servicePrincipalId, string displayName, DateTimeOffset endDateTime, CancellationToken cancellationToken = default) => Call("add token signing certificate", async () =>
    {
        var certificate = await Graph.ServicePrincipals[servicePrincipalId].AddTokenSigningCertificate
            .PostAsync(new AddTokenSigningCertificatePostRequestBody { DisplayName = displayName, EndDateTime = endDateTime }, cancellationToken: cancellationToken)
            ?? throw new EntraServiceException("InvalidResponse", 200, "addTokenSigningCertificate returned nothing.");
        return new EntraSigningCertificate(
            certificate.Thumbprint ?? "",
            certificate.KeyId ?? Guid.Empty,
            certificate.DisplayName ?? displayName,
            certificate.StartDateTime ?? default,
            certificate.EndDateTime ?? default,
            certificate.Key ?? []);
    });

    public Task SetPreferredTokenSigningThumbprintAsync(string servicePrincipalId, string thumbprint, CancellationToken cancellationToken = default) => Call("set preferred signing certificate", () =>
        Graph.ServicePrincipals[servicePrincipalId].PatchAsync(new ServicePrincipal { PreferredTokenSigningKeyThumbprint = thumbprint }, cancellationToken: cancellationToken));

    public Task<IReadOnlyList<EntraSigningCertificate>> ListTokenSigningCertificatesAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => Call("list token signing certificates", async () =>
    {
        var sp = await Graph.ServicePrincipals[servicePrincipalId].GetAsync(r => r.QueryParameters.Select = ["keyCredentials"], cancellationToken);
        return (IReadOnlyList<EntraSigningCertificate>)(sp?.KeyCredentials ?? [])
            .Where(k => k.Usage == "Verify" && k.CustomKeyIdentifier is { Length: > 0 })
            .Select(k => new EntraSigningCertificate(
                Convert.ToHexString(k.CustomKeyIdentifier!),
                k.KeyId ?? Guid.Empty,
                k.DisplayName ?? "",
                k.StartDateTime ?? default,
                k.EndDateTime ?? default,
                k.Key ?? []))
            .ToList();
    });

    public Task RemoveTokenSigningCertificateAsync(string servicePrincipalId, string thumbprint, CancellationToken cancellationToken = default) => Call("remove token signing certificate", async () =>
    {
        var sp = await Graph.ServicePrincipals[servicePrincipalId].GetAsync(r => r.QueryParameters.Select = ["keyCredentials", "passwordCredentials"], cancellationToken);
        bool Matches(byte[]? customKeyIdentifier) => customKeyIdentifier is not null && string.Equals(Convert.ToHexString(customKeyIdentifier), thumbprint, StringComparison.OrdinalIgnoreCase);
        var keys = (sp?.KeyCredentials ?? []).Where(k => !Matches(k.CustomKeyIdentifier)).ToList();
        var passwords = (sp?.PasswordCredentials ?? []).Where(p => !Matches(p.CustomKeyIdentifier)).ToList();
        await Graph.ServicePrincipals[servicePrincipalId].PatchAsync(
            new ServicePrincipal { KeyCredentials = keys, PasswordCredentials = passwords }, cancellationToken: cancellationToken);
    });

    public Task<string> CreateClaimsMappingPolicyAsync(string displayName, string definitionJson, CancellationToken cancellationToken = default) => Call("create claims mapping policy", async () =>
    {
        var policy = await Graph.Policies.ClaimsMappingPolicies.PostAsync(
            new ClaimsMappingPolicy { DisplayName = displayName, Definition = [definitionJson], IsOrganizationDefault = false },
            cancellationToken: cancellationToken);
        return policy?.Id ?? throw new EntraServiceException("InvalidResponse", 201, "The created policy has no id.");
    });

    public Task AssignClaimsMappingPolicyAsync(string servicePrincipalId, string policyId, CancellationToken cancellationToken = default) => Call("assign claims mapping policy", () =>
        Graph.ServicePrincipals[servicePrincipalId].ClaimsMappingPolicies.Ref.PostAsync(
            new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/policies/claimsMappingPolicies/{policyId}" },
            cancellationToken: cancellationToken));

    public Task RemoveClaimsMappingPolicyAsync(string servicePrincipalId, string policyId, CancellationToken cancellationToken = default) => Call("remove claims mapping policy", () =>
        Graph.ServicePrincipals[servicePrincipalId].ClaimsMappingPolicies[policyId].Ref.DeleteAsync(cancellationToken: cancellationToken));

    public Task<IReadOnlyList<EntraClaimsMappingPolicy>> ListClaimsMappingPoliciesAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => Call("list claims mapping policies", async () =>
    {
        var page = await Graph.ServicePrincipals[servicePrincipalId].ClaimsMappingPolicies.GetAsync(cancellationToken: cancellationToken);
        return (IReadOnlyList<EntraClaimsMappingPolicy>)(page?.Value ?? []).Select(p => new EntraClaimsMappingPolicy(p.Id!, p.DisplayName ?? "", p.Definition ?? [])).ToList();
    });

    public Task DeleteClaimsMappingPolicyAsync(string policyId, CancellationToken cancellationToken = default) => Call("delete claims mapping policy", () =>
        Graph.Policies.ClaimsMappingPolicies[policyId].DeleteAsync(cancellationToken: cancellationToken));

    public Task<IReadOnlyList<EntraAppRole>> GetAppRolesAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => Call("get app roles", async () =>
    {
        var sp = await Graph.ServicePrincipals[servicePrincipalId].GetAsync(r => r.QueryParameters.Select = ["id", "appRoles"], cancellationToken);
        return (IReadOnlyList<EntraAppRole>)(sp?.AppRoles ?? []).Select(ToModel).ToList();
    });

    public Task SetAppRolesAsync(string servicePrincipalId, IReadOnlyList<EntraAppRole> appRoles, CancellationToken cancellationToken = default) => Call("set app roles", () =>
        Graph.ServicePrincipals[servicePrincipalId].PatchAsync(new ServicePrincipal
        {
            AppRoles = appRoles.Select(r => new AppRole
            {
                Id = r.Id,
                DisplayName = r.DisplayName,
                Description = r.Description ?? r.DisplayName,
                Value = r.Value,
                IsEnabled = r.IsEnabled,
                AllowedMemberTypes = r.AllowedMemberTypes.ToList(),
            }).ToList(),
        }, cancellationToken: cancellationToken));

    public Task<EntraAppRoleAssignment> AssignAppRoleAsync(string servicePrincipalId, string principalId, Guid appRoleId, CancellationToken cancellationToken = default) => Call("assign app role", async () =>
    {
        var assignment = await Graph.ServicePrincipals[servicePrincipalId].AppRoleAssignedTo.PostAsync(new AppRoleAssignment
        {
            PrincipalId = Guid.Parse(principalId),
            ResourceId = Guid.Parse(servicePrincipalId),
            AppRoleId = appRoleId,
        }, cancellationToken: cancellationToken);
        return ToModel(assignment ?? throw new EntraServiceException("InvalidResponse", 201, "The assignment was not returned."));
    });

    public Task RemoveAppRoleAssignmentAsync(string servicePrincipalId, string assignmentId, CancellationToken cancellationToken = default) => Call("remove app role assignment", () =>
        Graph.ServicePrincipals[servicePrincipalId].AppRoleAssignedTo[assignmentId].DeleteAsync(cancellationToken: cancellationToken));

    public Task<IReadOnlyList<EntraAppRoleAssignment>> ListAppRoleAssignmentsAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => Call("list app role assignments", async () =>
    {
        var all = new List<EntraAppRoleAssignment>();
        var page = await Graph.ServicePrincipals[servicePrincipalId].AppRoleAssignedTo.GetAsync(cancellationToken: cancellationToken);
        while (page is not null)
        {
            all.AddRange((page.Value ?? []).Select(ToModel));
            page = page.OdataNextLink is { } next
                ? await Graph.ServicePrincipals[servicePrincipalId].AppRoleAssignedTo.WithUrl(next).GetAsync(cancellationToken: cancellationToken)
                : null;
        }

        return (IReadOnlyList<EntraAppRoleAssignment>)all;
    });

    public Task<IReadOnlyList<EntraUser>> ListUsersAsync(string? startsWith = null, CancellationToken cancellationToken = default) => Call("list users", async () =>
    {
        var all = new List<EntraUser>();
        var page = await Graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Select = ["id", "userPrincipalName", "displayName", "mail", "accountEnabled"];
            r.QueryParameters.Top = 100;
            if (!string.IsNullOrEmpty(startsWith))
            {
                var literal = startsWith.Replace("'", "''", StringComparison.Ordinal);
                r.QueryParameters.Filter = $"startswith(displayName,'{literal}') or startswith(userPrincipalName,'{literal}')";
            }
        }, cancellationToken);
        while (page is not null)
        {
            all.AddRange((page.Value ?? []).Select(u => new EntraUser(u.Id!, u.UserPrincipalName ?? "", u.DisplayName ?? "", u.Mail, u.AccountEnabled ?? true)));
            page = page.OdataNextLink is { } next ? await Graph.Users.WithUrl(next).GetAsync(cancellationToken: cancellationToken) : null;
        }

        return (IReadOnlyList<EntraUser>)all;
    });

    public Task<IReadOnlyList<EntraGroup>> ListGroupsAsync(string? startsWith = null, CancellationToken cancellationToken = default) => Call("list groups", async () =>
    {
        var all = new List<EntraGroup>();
        var page = await Graph.Groups.GetAsync(r =>
        {
            r.QueryParameters.Select = ["id", "displayName", "description"];
            if (!string.IsNullOrEmpty(startsWith))
            {
                r.QueryParameters.Filter = $"startswith(displayName,'{startsWith.Replace("'", "''", StringComparison.Ordinal)}')";
            }
        }, cancellationToken);
        while (page is not null)
        {
            all.AddRange((page.Value ?? []).Select(g => new EntraGroup(g.Id!, g.DisplayName ?? "", g.Description)));
            page = page.OdataNextLink is { } next ? await Graph.Groups.WithUrl(next).GetAsync(cancellationToken: cancellationToken) : null;
        }

        return (IReadOnlyList<EntraGroup>)all;
    });

    public Task<IReadOnlyList<EntraUser>> ListGroupMembersAsync(string groupId, CancellationToken cancellationToken = default) => Call("list group members", async () =>
    {
        var all = new List<EntraUser>();
        var page = await Graph.Groups[groupId].Members.GetAsync(cancellationToken: cancellationToken);
        while (page is not null)
        {
            all.AddRange((page.Value ?? []).OfType<User>().Select(u => new EntraUser(u.Id!, u.UserPrincipalName ?? "", u.DisplayName ?? "", u.Mail, u.AccountEnabled ?? true)));
            page = page.OdataNextLink is { } next ? await Graph.Groups[groupId].Members.WithUrl(next).GetAsync(cancellationToken: cancellationToken) : null;
        }

        return (IReadOnlyList<EntraUser>)all;
    });

    public async Task<FederationMetadata> GetFederationMetadataAsync(string appId, CancellationToken cancellationToken = default)
    {
        var endpoints = endpointsProvider.GetEndpoints();
        var url = new Uri(endpoints.LoginBaseUrl, $"{endpoints.TenantId}/federationmetadata/2007-06/federationmetadata.xml?appid={Uri.EscapeDataString(appId)}");
        using var http = httpClientFactory.CreateClient(HttpClientName);
        using var response = await http.GetAsync(url, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new EntraServiceException("FederationMetadataUnavailable", (int)response.StatusCode, $"The federation metadata endpoint answered {(int)response.StatusCode}.");
        }

        try
        {
            return FederationMetadata.Parse(bytes, time.GetUtcNow());
        }
        catch (FormatException e)
        {
            throw new EntraServiceException("InvalidFederationMetadata", (int)response.StatusCode, e.Message, e);
        }
    }

    public Task<IReadOnlyList<string>> ListSynchronizationTemplateIdsAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => Call("list synchronization templates", async () =>
    {
        var page = await Graph.ServicePrincipals[servicePrincipalId].Synchronization.Templates.GetAsync(cancellationToken: cancellationToken);
        return (IReadOnlyList<string>)(page?.Value ?? []).Select(t => t.Id!).ToList();
    });

    public Task<EntraSynchronizationJob> CreateSynchronizationJobAsync(string servicePrincipalId, string templateId, CancellationToken cancellationToken = default) => Call("create synchronization job", async () =>
    {
        var job = await Graph.ServicePrincipals[servicePrincipalId].Synchronization.Jobs.PostAsync(new SynchronizationJob { TemplateId = templateId }, cancellationToken: cancellationToken);
        return ToModel(job ?? throw new EntraServiceException("InvalidResponse", 201, "The job was not returned."));
    });

    public Task ValidateSynchronizationCredentialsAsync(string servicePrincipalId, string jobId, string accessKeyId, string secretAccessKey, CancellationToken cancellationToken = default) => Call("validate provisioning credentials", () =>
        Graph.ServicePrincipals[servicePrincipalId].Synchronization.Jobs[jobId].ValidateCredentials.PostAsync(
            new ValidateCredentialsPostRequestBody { Credentials = Secrets(accessKeyId, secretAccessKey) }, cancellationToken: cancellationToken));

    public Task SaveSynchronizationSecretsAsync(string servicePrincipalId, string accessKeyId, string secretAccessKey, CancellationToken cancellationToken = default) => Call("save provisioning credentials", () =>
        Graph.ServicePrincipals[servicePrincipalId].Synchronization.Secrets.PutAsSecretsPutResponseAsync(
            new SecretsPutRequestBody { Value = Secrets(accessKeyId, secretAccessKey) }, cancellationToken: cancellationToken));

    public Task StartSynchronizationJobAsync(string servicePrincipalId, string jobId, CancellationToken cancellationToken = default) => Call("start synchronization job", () =>
        Graph.ServicePrincipals[servicePrincipalId].Synchronization.Jobs[jobId].Start.PostAsync(cancellationToken: cancellationToken));

    public Task<EntraSynchronizationJob?> GetSynchronizationJobAsync(string servicePrincipalId, string jobId, CancellationToken cancellationToken = default) => CallOrNull("get synchronization job", async () =>
    {
        var job = await Graph.ServicePrincipals[servicePrincipalId].Synchronization.Jobs[jobId].GetAsync(cancellationToken: cancellationToken);
        return job is null ? null : ToModel(job);
    });

    public Task<IReadOnlyList<EntraProvisioningRun>> ListProvisioningRunsAsync(string servicePrincipalId, CancellationToken cancellationToken = default) => Call("list provisioning logs", async () =>
    {
        var all = new List<EntraProvisioningRun>();
        var page = await Graph.AuditLogs.Provisioning.GetAsync(r => r.QueryParameters.Filter = $"servicePrincipal/id eq '{servicePrincipalId}'", cancellationToken);
        while (page is not null)
        {
            all.AddRange((page.Value ?? []).Select(p => new EntraProvisioningRun(
                p.Id ?? "",
                p.ActivityDateTime,
                p.JobId,
                p.ProvisioningStatusInfo?.Status?.ToString(),
                p.ProvisioningStatusInfo?.ErrorInformation?.ErrorCode,
                p.ProvisioningStatusInfo?.ErrorInformation?.Reason,
                p.ProvisioningSteps?.FirstOrDefault()?.Description)));
            page = page.OdataNextLink is { } next ? await Graph.AuditLogs.Provisioning.WithUrl(next).GetAsync(cancellationToken: cancellationToken) : null;
        }

        return (IReadOnlyList<EntraProvisioningRun>)all;
    });

    public Task DeleteSynchronizationJobAsync(string servicePrincipalId, string jobId, CancellationToken cancellationToken = default) => Call("delete synchronization job", () =>
        Graph.ServicePrincipals[servicePrincipalId].Synchronization.Jobs[jobId].DeleteAsync(cancellationToken: cancellationToken));

    public async Task DeleteApplicationAsync(string applicationObjectId, CancellationToken cancellationToken = default)
    {
        try
        {
            await Call("delete application", () => Graph.Applications[applicationObjectId].DeleteAsync(cancellationToken: cancellationToken));
        }
        catch (EntraServiceException e) when (e.IsNotFound)
        {
            logger.LogInformation("Application {ApplicationId} was already gone", applicationObjectId);
        }
    }

    private static List<SynchronizationSecretKeyStringValuePair> Secrets(string accessKeyId, string secretAccessKey) =>
    [
        new() { Key = SynchronizationSecret.ClientSecret, Value = accessKeyId },
        new() { Key = SynchronizationSecret.SecretToken, Value = secretAccessKey },
    ];

    private static EntraAppRole ToModel(AppRole role) => new(
        role.Id ?? Guid.Empty, role.DisplayName ?? "", role.Description, role.Value, role.IsEnabled ?? false, role.AllowedMemberTypes ?? []);

    private static EntraAppRoleAssignment ToModel(AppRoleAssignment a) => new(
        a.Id!, a.AppRoleId ?? Guid.Empty, a.PrincipalId?.ToString() ?? "", a.PrincipalDisplayName, a.PrincipalType, a.ResourceId?.ToString() ?? "", a.CreatedDateTime);

    private static EntraSynchronizationJob ToModel(SynchronizationJob job) => new(
        job.Id!,
        job.TemplateId ?? "",
        job.Status?.Code?.ToString(),
        job.Status?.LastExecution?.State?.ToString(),
        job.Status?.LastExecution?.TimeEnded,
        job.Status?.LastExecution?.Error?.Message,
        job.Status?.Quarantine is not null);

    private async Task<T?> CallOrNull<T>(string what, Func<Task<T?>> call) where T : class
    {
        try
        {
            return await Call(what, call);
        }
        catch (EntraServiceException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private async Task Call(string what, Func<Task> call) => await Call<object?>(what, async () =>
    {
        await call();
        return null;
    });

    private Task<T> Call<T>(string what, Func<Task<T>> call) => GraphCalls.MapErrorsAsync(logger, what, call);
}
