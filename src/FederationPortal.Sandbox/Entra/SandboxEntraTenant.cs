using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FederationPortal.Core.Entra;
using FederationPortal.Sandbox.People;
using FederationPortal.Sandbox.Storage;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra;

/// <summary>An application template of the gallery, as <c>/applicationTemplates</c> serves it.</summary>
internal sealed record GalleryTemplate(string Id, string DisplayName, string Publisher, string HomePageUrl, string[] Categories, string[] SupportedSingleSignOnModes, string[] SupportedProvisioningTypes)
{
    public JsonObject ToJson() => new()
    {
        ["@odata.type"] = "#microsoft.graph.applicationTemplate",
        ["id"] = Id,
        ["displayName"] = DisplayName,
        ["homePageUrl"] = HomePageUrl,
        ["supportedSingleSignOnModes"] = GraphJson.Strings(SupportedSingleSignOnModes),
        ["supportedProvisioningTypes"] = GraphJson.Strings(SupportedProvisioningTypes),
        ["logoUrl"] = $"https://az495088.vo.msecnd.net/app-logo/{DisplayName.ToLowerInvariant().Replace(' ', '-')}_215.png",
        ["categories"] = GraphJson.Strings(Categories),
        ["publisher"] = Publisher,
        ["description"] = null,
    };
}

/// <summary>
/// The emulated tenant's applications, service principals, claims mapping policies and assignments, with the rules
/// Entra enforces on them. Every change is written through to the sandbox store.
/// </summary>
internal sealed class SandboxEntraTenant(
    SandboxDocumentStore store,
    SandboxDirectory directory,
    SigningKeyStore keys,
    IOptions<SandboxEntraOptions> options,
    TimeProvider time)
{
    /// <summary>The default "User" role every gallery SAML app gets.</summary>
    public static readonly Guid DefaultUserRoleId = Guid.Parse("18d14569-c3bd-439b-9a66-3a2aee01d14f");

    public static readonly IReadOnlyList<GalleryTemplate> Templates =
    [
        new(EntraWellKnown.AwsSingleAccountTemplateId, "AWS Single-Account Access", "Amazon", "http://aws.amazon.com/",
            ["developerServices", "itInfrastructure", "security", "New"], ["saml", "external"], ["sync"]),
        new(EntraWellKnown.AwsIdentityCenterTemplateId, "AWS IAM Identity Center (successor to AWS Single Sign-On)", "Amazon", "https://aws.amazon.com/single-sign-on/",
            ["developerServices", "itInfrastructure", "security"], ["saml", "external"], ["sync"]),
        new("b0b4b4b3-8ec5-4e8e-9f3e-1c2c0c3e2f10", "Salesforce", "Salesforce", "https://www.salesforce.com/",
            ["crm", "businessMgmt"], ["saml", "external"], ["sync"]),
        new("229946b9-a9fb-45b8-9531-efa47453ac9e", "Custom", "Microsoft Corporation", "https://portal.azure.com/",
            [], ["saml", "password", "oidc", "external", "notSupported"], []),
    ];

    private readonly Lock gate = new();

    public Lock Gate => gate;

    public TimeProvider Time => time;

    public SandboxDirectory Directory => directory;

    public SigningKeyStore Keys => keys;

    // ---- applications and service principals ----

    public (StoredApplication App, StoredServicePrincipal Sp) Instantiate(string templateId, string displayName)
    {
        var template = Templates.FirstOrDefault(t => string.Equals(t.Id, templateId, StringComparison.OrdinalIgnoreCase))
                       ?? throw GraphException.NotFound(templateId);
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw GraphException.BadRequest("Property 'displayName' is required.");
        }

        var now = time.GetUtcNow();
        var visible = now.AddMilliseconds(options.Value.InstantiateDelayMilliseconds);
        var app = new StoredApplication
        {
            Id = Guid.NewGuid().ToString(),
            AppId = Guid.NewGuid().ToString(),
            DisplayName = displayName,
            ApplicationTemplateId = template.Id,
            CreatedDateTime = now,
            VisibleFrom = visible,
            HomePageUrl = template.HomePageUrl,
        };
        var sp = new StoredServicePrincipal
        {
            Id = Guid.NewGuid().ToString(),
            AppId = app.AppId,
            DisplayName = displayName,
            ApplicationTemplateId = template.Id,
            CreatedDateTime = now,
            VisibleFrom = visible,
            Tags = ["WindowsAzureActiveDirectoryIntegratedApp", "WindowsAzureActiveDirectoryCustomSingleSignOnApplication"],
            AppRoles =
            [
                new() { Id = DefaultUserRoleId, DisplayName = "User", Description = "User", Value = null, AllowedMemberTypes = ["User"] },
                new() { Id = Guid.Parse("8774f594-1d59-4279-b9d9-59ef09a23530"), DisplayName = "msiam_access", Description = "msiam_access", Value = null, AllowedMemberTypes = ["User"] },
            ],
        };
        lock (gate)
        {
            store.Put(StoredApplication.Kind, app.Id, app);
            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }

        return (app, sp);
    }

    public IEnumerable<StoredApplication> Applications
        => store.List<StoredApplication>(StoredApplication.Kind).Where(a => a.VisibleFrom <= time.GetUtcNow()).OrderBy(a => a.CreatedDateTime);

    public IEnumerable<StoredServicePrincipal> ServicePrincipals
        => store.List<StoredServicePrincipal>(StoredServicePrincipal.Kind).Where(s => s.VisibleFrom <= time.GetUtcNow()).OrderBy(s => s.CreatedDateTime);

    public StoredApplication Application(string id)
        => store.Get<StoredApplication>(StoredApplication.Kind, id) is { } app && app.VisibleFrom <= time.GetUtcNow() ? app : throw GraphException.NotFound(id);

    public StoredServicePrincipal ServicePrincipal(string id)
        => store.Get<StoredServicePrincipal>(StoredServicePrincipal.Kind, id) is { } sp && sp.VisibleFrom <= time.GetUtcNow() ? sp : throw GraphException.NotFound(id);

    public StoredApplication? ApplicationByAppId(string appId)
        => store.List<StoredApplication>(StoredApplication.Kind).FirstOrDefault(a => string.Equals(a.AppId, appId, StringComparison.OrdinalIgnoreCase) && a.VisibleFrom <= time.GetUtcNow());

    public StoredServicePrincipal? ServicePrincipalByAppId(string appId)
        => store.List<StoredServicePrincipal>(StoredServicePrincipal.Kind).FirstOrDefault(s => string.Equals(s.AppId, appId, StringComparison.OrdinalIgnoreCase) && s.VisibleFrom <= time.GetUtcNow());

    public void PatchApplication(string id, JsonObject patch)
    {
        lock (gate)
        {
            var app = Application(id);
            foreach (var (key, value) in patch)
            {
                switch (key)
                {
                    case "displayName":
                        app.DisplayName = value?.GetValue<string>() is { Length: > 0 } name ? name : throw GraphException.BadRequest("Property 'displayName' cannot be empty.");
                        break;
                    case "identifierUris":
                        var uris = StringList(value, "identifierUris");
                        foreach (var uri in uris)
                        {
                            if (!Uri.TryCreate(uri, UriKind.Absolute, out _))
                            {
                                throw new GraphException(400, "Request_BadRequest", $"Values of identifierUris property must follow the format api://<appId>, or a verified domain: '{uri}' is not an absolute URI.");
                            }
                        }

                        if (uris.Distinct(StringComparer.OrdinalIgnoreCase).Count() != uris.Count)
                        {
                            throw GraphException.BadRequest("Property 'identifierUris' has duplicate values.");
                        }

                        var taken = store.List<StoredApplication>(StoredApplication.Kind)
                            .Where(other => other.Id != app.Id)
                            .SelectMany(other => other.IdentifierUris)
                            .Intersect(uris, StringComparer.OrdinalIgnoreCase)
                            .FirstOrDefault();
                        if (taken is not null)
                        {
                            throw new GraphException(400, "Request_MultipleObjectsWithSameKeyValue",
                                "Another object with the same value for property identifierUris already exists.");
                        }

                        app.IdentifierUris = uris;
                        break;
                    case "web":
                        var web = value as JsonObject ?? throw GraphException.BadRequest("Property 'web' must be an object.");
                        foreach (var (webKey, webValue) in web)
                        {
                            switch (webKey)
                            {
                                case "redirectUris":
                                    var redirects = StringList(webValue, "web.redirectUris");
                                    if (redirects.Any(r => !Uri.TryCreate(r, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && !u.IsLoopback)))
                                    {
                                        throw GraphException.BadRequest("Property 'web.redirectUris' must contain absolute https URIs (http is allowed only for localhost).");
                                    }

                                    app.RedirectUris = redirects;
                                    break;
                                case "logoutUrl":
                                    app.LogoutUrl = webValue?.GetValue<string>();
                                    break;
                                case "homePageUrl":
                                    app.HomePageUrl = webValue?.GetValue<string>();
                                    break;
                                case "@odata.type" or "implicitGrantSettings" or "redirectUriSettings":
                                    break;
                                default:
                                    throw BadProperty(webKey, "web");
                            }
                        }

                        break;
                    case "@odata.type":
                        break;
                    default:
                        throw BadProperty(key, "application");
                }
            }

            store.Put(StoredApplication.Kind, app.Id, app);
        }
    }

    public void PatchServicePrincipal(string id, JsonObject patch)
    {
        lock (gate)
        {
            var sp = ServicePrincipal(id);
            foreach (var (key, value) in patch)
            {
                switch (key)
                {
                    case "preferredSingleSignOnMode":
                        var mode = value?.GetValue<string>();
                        if (mode is not (null or "saml" or "password" or "oidc" or "notSupported"))
                        {
                            throw GraphException.InvalidValue("preferredSingleSignOnMode");
                        }

                        sp.PreferredSingleSignOnMode = mode;
                        break;
                    case "preferredTokenSigningKeyThumbprint":
                        var thumbprint = value?.GetValue<string>();
                        if (thumbprint is not null && !sp.KeyCredentials.Any(k => k.Usage == "Sign" && string.Equals(k.CustomKeyIdentifier, ThumbprintToKeyIdentifier(thumbprint), StringComparison.Ordinal)))
                        {
                            throw GraphException.BadRequest($"The value '{thumbprint}' of preferredTokenSigningKeyThumbprint does not match the thumbprint of a signing certificate of this service principal.");
                        }

                        sp.PreferredTokenSigningKeyThumbprint = thumbprint?.ToUpperInvariant();
                        break;
                    case "appRoles":
                        sp.AppRoles = ValidateAppRoles(sp.AppRoles, value);
                        break;
                    case "keyCredentials":
                        var keptKeys = KeptCredentialIds(value, sp.KeyCredentials.Select(k => k.KeyId), "keyCredentials");
                        if (sp.PreferredTokenSigningKeyThumbprint is { } active
                            && sp.KeyCredentials.Any(k => k.Usage == "Sign" && !keptKeys.Contains(k.KeyId) && k.CustomKeyIdentifier == ThumbprintToKeyIdentifier(active)))
                        {
                            throw GraphException.BadRequest($"The certificate '{active}' is the preferredTokenSigningKeyThumbprint of this service principal and cannot be removed. Make another certificate active first.");
                        }

                        sp.KeyCredentials = sp.KeyCredentials.Where(k => keptKeys.Contains(k.KeyId)).ToList();
                        break;
                    case "passwordCredentials":
                        var keptPasswords = KeptCredentialIds(value, sp.PasswordCredentials.Select(p => p.KeyId), "passwordCredentials");
                        sp.PasswordCredentials = sp.PasswordCredentials.Where(p => keptPasswords.Contains(p.KeyId)).ToList();
                        break;
                    case "appRoleAssignmentRequired":
                        sp.AppRoleAssignmentRequired = value?.GetValue<bool>() ?? true;
                        break;
                    case "accountEnabled":
                        sp.AccountEnabled = value?.GetValue<bool>() ?? true;
                        break;
                    case "samlSingleSignOnSettings":
                        sp.RelayState = (value as JsonObject)?["relayState"]?.GetValue<string>();
                        break;
                    case "tags":
                        sp.Tags = StringList(value, "tags");
                        break;
                    case "displayName":
                        sp.DisplayName = value?.GetValue<string>() ?? sp.DisplayName;
                        break;
                    case "@odata.type":
                        break;
                    default:
                        throw BadProperty(key, "servicePrincipal");
                }
            }

            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }
    }

    /// <summary>Entra's app role rules: ids and values unique; an enabled role cannot be changed away or removed before it is disabled.</summary>
    internal static List<StoredAppRole> ValidateAppRoles(IReadOnlyList<StoredAppRole> existing, JsonNode? value)
    {
        if (value is not JsonArray array)
        {
            throw GraphException.BadRequest("Property 'appRoles' must be an array.");
        }

        var roles = new List<StoredAppRole>();
        foreach (var node in array)
        {
            if (node is not JsonObject role || role["id"]?.GetValue<string>() is not { } idText || !Guid.TryParse(idText, out var roleId))
            {
                throw GraphException.BadRequest("Each app role needs an 'id' (a GUID).");
            }

            var displayName = role["displayName"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(displayName))
            {
                throw GraphException.BadRequest($"App role '{roleId}' needs a displayName.");
            }

            var members = role["allowedMemberTypes"] is JsonArray types ? types.Select(t => t!.GetValue<string>()).ToList() : [];
            if (members.Count == 0 || members.Any(m => m is not ("User" or "Application")))
            {
                throw GraphException.BadRequest($"App role '{roleId}': allowedMemberTypes must contain 'User' and/or 'Application'.");
            }

            var roleValue = role["value"]?.GetValue<string>();
            if (roleValue is not null && (roleValue.Length > 250 || roleValue.Any(char.IsWhiteSpace) || roleValue.StartsWith('.')))
            {
                throw GraphException.BadRequest($"App role '{roleId}': value '{roleValue}' must be at most 250 characters, without spaces and not start with '.'.");
            }

            roles.Add(new StoredAppRole
            {
                Id = roleId,
                DisplayName = displayName,
                Description = role["description"]?.GetValue<string>(),
                Value = roleValue,
                IsEnabled = role["isEnabled"]?.GetValue<bool>() ?? true,
                AllowedMemberTypes = members,
                Origin = role["origin"]?.GetValue<string>() ?? "Application",
            });
        }

        if (roles.GroupBy(r => r.Id).Any(g => g.Count() > 1))
        {
            throw GraphException.BadRequest("Property 'appRoles' has duplicate ids.");
        }

        if (roles.Where(r => r.Value is not null).GroupBy(r => r.Value, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw GraphException.BadRequest($"Property 'appRoles' has duplicate value '{duplicate.Key}': app role values must be unique.");
        }

        foreach (var old in existing.Where(r => r.IsEnabled))
        {
            var replacement = roles.FirstOrDefault(r => r.Id == old.Id);
            if (replacement is null || (replacement.IsEnabled && !string.Equals(replacement.Value, old.Value, StringComparison.Ordinal)))
            {
                throw new GraphException(400, "CannotDeleteOrUpdateEnabledEntitlement",
                    "Permission (scope or role) cannot be deleted or updated unless disabled first.");
            }
        }

        return roles;
    }

    public void DeleteApplication(string id)
    {
        lock (gate)
        {
            var app = Application(id);
            foreach (var sp in store.List<StoredServicePrincipal>(StoredServicePrincipal.Kind).Where(s => s.AppId == app.AppId))
            {
                DeleteServicePrincipalCore(sp);
            }

            store.Delete(StoredApplication.Kind, app.Id);
        }
    }

    public void DeleteServicePrincipal(string id)
    {
        lock (gate)
        {
            DeleteServicePrincipalCore(ServicePrincipal(id));
        }
    }

    private void DeleteServicePrincipalCore(StoredServicePrincipal sp)
    {
        foreach (var assignment in store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind).Where(a => a.ResourceId == sp.Id))
        {
            store.Delete(StoredAppRoleAssignment.Kind, assignment.Id);
        }

        foreach (var job in store.List<StoredSyncJob>(StoredSyncJob.Kind).Where(j => j.ServicePrincipalId == sp.Id))
        {
            store.Delete(StoredSyncJob.Kind, job.Id);
        }

        store.Delete(StoredSyncSecrets.Kind, sp.Id);
        keys.DeleteOwnedBy(sp.Id);
        store.Delete(StoredServicePrincipal.Kind, sp.Id);
    }

    // ---- token signing certificates ----

    public JsonObject AddTokenSigningCertificate(string id, JsonObject body)
    {
        var displayName = body["displayName"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(displayName) || !displayName.StartsWith("CN=", StringComparison.Ordinal))
        {
            throw GraphException.BadRequest("The displayName of a token signing certificate must start with 'CN='.");
        }

        var now = time.GetUtcNow();
        var end = now.AddYears(3);
        if (body["endDateTime"] is { } endNode)
        {
            if (!DateTimeOffset.TryParse(endNode.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out end))
            {
                throw GraphException.BadRequest("Property 'endDateTime' is not a valid date.");
            }

            if (end <= now)
            {
                throw GraphException.BadRequest("The endDateTime of a token signing certificate must be in the future.");
            }

            if (end > now.AddYears(3).AddMinutes(5))
            {
                throw GraphException.BadRequest("The endDateTime of a token signing certificate can be at most 3 years after its creation.");
            }
        }

        string subject;
        try
        {
            subject = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(displayName).Name;
        }
        catch (CryptographicException)
        {
            throw GraphException.BadRequest($"The displayName '{displayName}' is not a valid X.500 name.");
        }

        lock (gate)
        {
            var sp = ServicePrincipal(id);
            using var certificate = keys.Create(sp.Id, subject, end);
            var customKeyIdentifier = ThumbprintToKeyIdentifier(certificate.Thumbprint);
            var start = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var verifyKeyId = Guid.NewGuid();
            sp.KeyCredentials.Add(new StoredKeyCredential { KeyId = Guid.NewGuid(), CustomKeyIdentifier = customKeyIdentifier, DisplayName = displayName, StartDateTime = start, EndDateTime = notAfter, Usage = "Sign" });
            sp.KeyCredentials.Add(new StoredKeyCredential { KeyId = verifyKeyId, CustomKeyIdentifier = customKeyIdentifier, DisplayName = displayName, StartDateTime = start, EndDateTime = notAfter, Usage = "Verify" });
            sp.PasswordCredentials.Add(new StoredPasswordCredential { KeyId = Guid.NewGuid(), CustomKeyIdentifier = customKeyIdentifier, DisplayName = displayName, StartDateTime = start, EndDateTime = notAfter });
            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
            return new JsonObject
            {
                ["customKeyIdentifier"] = customKeyIdentifier,
                ["displayName"] = displayName,
                ["endDateTime"] = GraphJson.Date(notAfter),
                ["key"] = Convert.ToBase64String(certificate.RawData),
                ["keyId"] = verifyKeyId.ToString(),
                ["startDateTime"] = GraphJson.Date(start),
                ["thumbprint"] = certificate.Thumbprint,
                ["type"] = "AsymmetricX509Cert",
                ["usage"] = "Verify",
            };
        }
    }

    /// <summary>
    /// The credentials a PATCH keeps. The sandbox supports what the portal does with it, removing credentials: every
    /// element must name an existing <c>keyId</c> (a new certificate is added with addTokenSigningCertificate).
    /// </summary>
    private static HashSet<Guid> KeptCredentialIds(JsonNode? value, IEnumerable<Guid> existing, string property)
    {
        if (value is not JsonArray array)
        {
            throw GraphException.BadRequest($"Property '{property}' must be an array.");
        }

        var known = existing.ToHashSet();
        var kept = new HashSet<Guid>();
        foreach (var node in array)
        {
            if (node is not JsonObject credential || credential["keyId"]?.GetValue<string>() is not { } idText || !Guid.TryParse(idText, out var keyId))
            {
                throw GraphException.BadRequest($"Each element of '{property}' needs a 'keyId' (a GUID).");
            }

            if (!known.Contains(keyId))
            {
                throw GraphException.BadRequest($"The sandbox tenant adds credentials only through addTokenSigningCertificate; '{keyId}' is not a credential of this service principal.");
            }

            kept.Add(keyId);
        }

        return kept;
    }

    /// <summary>The public certificate (base64 DER) of a signing key credential, as Graph returns on <c>$select=keyCredentials</c>.</summary>
    public string? PublicCertificate(string? customKeyIdentifier)
    {
        if (string.IsNullOrEmpty(customKeyIdentifier))
        {
            return null;
        }

        using var certificate = keys.Load(Convert.ToHexString(Convert.FromBase64String(customKeyIdentifier)));
        return certificate is null ? null : Convert.ToBase64String(certificate.RawData);
    }

    internal static string ThumbprintToKeyIdentifier(string thumbprint)
    {
        try
        {
            return Convert.ToBase64String(Convert.FromHexString(thumbprint));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    /// <summary>The certificate (with private key) that signs this service principal's tokens and metadata.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 ActiveSigningCertificate(StoredServicePrincipal? sp)
    {
        if (sp?.PreferredTokenSigningKeyThumbprint is { } preferred && keys.Load(preferred) is { } chosen)
        {
            return chosen;
        }

        var newest = sp?.KeyCredentials.Where(k => k.Usage == "Sign").OrderByDescending(k => k.StartDateTime).FirstOrDefault();
        if (newest is not null && keys.Load(Convert.ToHexString(Convert.FromBase64String(newest.CustomKeyIdentifier))) is { } latest)
        {
            return latest;
        }

        return keys.TenantKey();
    }

    // ---- claims mapping policies ----

    public StoredClaimsMappingPolicy CreateClaimsMappingPolicy(JsonObject body)
    {
        var displayName = body["displayName"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw GraphException.BadRequest("Property 'displayName' is required.");
        }

        var definition = body["definition"] is JsonArray array ? array.Select(d => d?.GetValue<string>() ?? "").ToList() : throw GraphException.BadRequest("Property 'definition' is required.");
        ClaimsMappingPolicyValidator.Validate(definition);
        var policy = new StoredClaimsMappingPolicy
        {
            Id = Guid.NewGuid().ToString(),
            DisplayName = displayName,
            Definition = definition,
            IsOrganizationDefault = body["isOrganizationDefault"]?.GetValue<bool>() ?? false,
        };
        store.Put(StoredClaimsMappingPolicy.Kind, policy.Id, policy);
        return policy;
    }

    public IEnumerable<StoredClaimsMappingPolicy> ClaimsMappingPolicies => store.List<StoredClaimsMappingPolicy>(StoredClaimsMappingPolicy.Kind);

    public StoredClaimsMappingPolicy ClaimsMappingPolicy(string id)
        => store.Get<StoredClaimsMappingPolicy>(StoredClaimsMappingPolicy.Kind, id) ?? throw GraphException.NotFound(id);

    public void DeleteClaimsMappingPolicy(string id)
    {
        lock (gate)
        {
            var policy = ClaimsMappingPolicy(id);
            if (store.List<StoredServicePrincipal>(StoredServicePrincipal.Kind).Any(sp => sp.ClaimsMappingPolicyIds.Contains(policy.Id)))
            {
                throw GraphException.BadRequest("The policy is still assigned to one or more service principals; remove the assignments first.");
            }

            store.Delete(StoredClaimsMappingPolicy.Kind, policy.Id);
        }
    }

    public void AssignClaimsMappingPolicy(string spId, JsonObject body)
    {
        var reference = body["@odata.id"]?.GetValue<string>() ?? throw GraphException.BadRequest("Property '@odata.id' is required.");
        var policyId = reference.TrimEnd('/').Split('/')[^1];
        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            var policy = ClaimsMappingPolicy(policyId);
            if (sp.ClaimsMappingPolicyIds.Count > 0)
            {
                throw sp.ClaimsMappingPolicyIds.Contains(policy.Id)
                    ? new GraphException(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'claimsMappingPolicies'.")
                    : new GraphException(400, "Request_BadRequest", "A service principal can have only one claims mapping policy assigned; remove the current one first.");
            }

            sp.ClaimsMappingPolicyIds.Add(policy.Id);
            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }
    }

    public void RemoveClaimsMappingPolicy(string spId, string policyId)
    {
        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            if (!sp.ClaimsMappingPolicyIds.Remove(policyId))
            {
                throw GraphException.NotFound(policyId);
            }

            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }
    }

    // ---- assignments ----

    public IEnumerable<StoredAppRoleAssignment> AssignmentsOf(string spId)
        => store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind).Where(a => a.ResourceId == ServicePrincipal(spId).Id).OrderBy(a => a.CreatedDateTime);

    public StoredAppRoleAssignment Assign(string spId, JsonObject body)
    {
        string Required(string name) => body[name]?.GetValue<string>() is { Length: > 0 } v ? v : throw GraphException.BadRequest($"Property '{name}' is required.");
        var principalId = Required("principalId");
        var resourceId = Required("resourceId");
        if (!Guid.TryParse(Required("appRoleId"), out var appRoleId))
        {
            throw GraphException.BadRequest("Property 'appRoleId' must be a GUID.");
        }

        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            if (!string.Equals(resourceId, sp.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw GraphException.BadRequest("The resourceId must be the id of the service principal in the request URL.");
            }

            (string Type, string Name) principal = directory.FindUser(principalId) is { } user && user.Id == principalId ? ("User", user.DisplayName)
                : directory.FindGroup(principalId) is { } group ? ("Group", group.DisplayName)
                : throw GraphException.NotFound(principalId);

            if (appRoleId != Guid.Empty)
            {
                var role = sp.AppRoles.FirstOrDefault(r => r.Id == appRoleId);
                if (role is null || !role.IsEnabled || !role.AllowedMemberTypes.Contains("User"))
                {
                    throw GraphException.BadRequest("Permission being assigned was not found on application");
                }
            }

            if (store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind).Any(a => a.ResourceId == sp.Id && a.PrincipalId == principalId && a.AppRoleId == appRoleId))
            {
                throw new GraphException(400, "Request_BadRequest", "Permission being assigned already exists on the object");
            }

            var assignment = new StoredAppRoleAssignment
            {
                Id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                AppRoleId = appRoleId,
                PrincipalId = principalId,
                PrincipalType = principal.Type,
                PrincipalDisplayName = principal.Name,
                ResourceId = sp.Id,
                ResourceDisplayName = sp.DisplayName,
                CreatedDateTime = time.GetUtcNow(),
            };
            store.Put(StoredAppRoleAssignment.Kind, assignment.Id, assignment);
            return assignment;
        }
    }

    public void Unassign(string spId, string assignmentId)
    {
        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            var assignment = store.Get<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind, assignmentId);
            if (assignment is null || assignment.ResourceId != sp.Id)
            {
                throw GraphException.NotFound(assignmentId);
            }

            store.Delete(StoredAppRoleAssignment.Kind, assignmentId);
        }
    }

    /// <summary>The enabled app roles the user holds on the service principal, directly or through a group it belongs to.</summary>
    public IReadOnlyList<StoredAppRole> RolesOf(StoredServicePrincipal sp, SandboxUser user)
    {
        var principals = directory.GroupsOf(user.Id).Select(g => g.Id).Append(user.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var roleIds = store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind)
            .Where(a => a.ResourceId == sp.Id && principals.Contains(a.PrincipalId))
            .Select(a => a.AppRoleId)
            .ToHashSet();
        return sp.AppRoles.Where(r => roleIds.Contains(r.Id) && r.IsEnabled).ToList();
    }

    public bool IsAssigned(StoredServicePrincipal sp, SandboxUser user)
    {
        var principals = directory.GroupsOf(user.Id).Select(g => g.Id).Append(user.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return store.List<StoredAppRoleAssignment>(StoredAppRoleAssignment.Kind).Any(a => a.ResourceId == sp.Id && principals.Contains(a.PrincipalId));
    }

    public void SaveServicePrincipal(StoredServicePrincipal sp)
    {
        lock (gate)
        {
            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }
    }

    private static List<string> StringList(JsonNode? value, string property)
        => value is JsonArray array && array.All(e => e is JsonValue v && v.TryGetValue<string>(out _))
            ? array.Select(e => e!.GetValue<string>()).ToList()
            : throw GraphException.BadRequest($"Property '{property}' must be an array of strings.");

    private static GraphException BadProperty(string property, string type)
        => new(400, "Request_BadRequest", $"Property '{property}' does not exist as a declared property or extension property of type 'microsoft.graph.{type}', or it cannot be updated.");
}
