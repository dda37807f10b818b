using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FederationPortal.Core.Entra;
using FederationPortal.Sandbox.Entra.Graph;
using FederationPortal.Sandbox.People;
using FederationPortal.Sandbox.Storage;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Tenant;

/// <summary>
/// The emulated tenant's applications, service principals, claims mapping policies and assignments, with the rules
/// Entra enforces on them. Every change is written through to the sandbox store.
/// </summary>
internal sealed partial class SandboxEntraTenant(
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
}
