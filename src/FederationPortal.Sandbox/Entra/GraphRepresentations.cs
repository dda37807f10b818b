using System.Text.Json.Nodes;
using FederationPortal.Sandbox.People;

namespace FederationPortal.Sandbox.Entra;

/// <summary>The Graph v1.0 JSON of each stored object, camelCase as Graph writes it.</summary>
internal static class GraphRepresentations
{
    public static JsonObject AppRole(StoredAppRole role) => new()
    {
        ["allowedMemberTypes"] = GraphJson.Strings(role.AllowedMemberTypes),
        ["description"] = role.Description,
        ["displayName"] = role.DisplayName,
        ["id"] = role.Id.ToString(),
        ["isEnabled"] = role.IsEnabled,
        ["origin"] = role.Origin,
        ["value"] = role.Value,
    };

    public static JsonObject Application(StoredApplication app) => new()
    {
        ["@odata.type"] = "#microsoft.graph.application",
        ["id"] = app.Id,
        ["deletedDateTime"] = null,
        ["appId"] = app.AppId,
        ["applicationTemplateId"] = app.ApplicationTemplateId,
        ["createdDateTime"] = GraphJson.Date(app.CreatedDateTime),
        ["displayName"] = app.DisplayName,
        ["groupMembershipClaims"] = null,
        ["identifierUris"] = GraphJson.Strings(app.IdentifierUris),
        ["isFallbackPublicClient"] = false,
        ["publisherDomain"] = null,
        ["signInAudience"] = "AzureADMyOrg",
        ["tags"] = new JsonArray(),
        ["appRoles"] = new JsonArray(app.AppRoles.Select(r => (JsonNode?)AppRole(r)).ToArray()),
        ["keyCredentials"] = new JsonArray(),
        ["passwordCredentials"] = new JsonArray(),
        ["web"] = new JsonObject
        {
            ["homePageUrl"] = app.HomePageUrl,
            ["logoutUrl"] = app.LogoutUrl,
            ["redirectUris"] = GraphJson.Strings(app.RedirectUris),
            ["implicitGrantSettings"] = new JsonObject { ["enableAccessTokenIssuance"] = false, ["enableIdTokenIssuance"] = false },
            ["redirectUriSettings"] = new JsonArray(app.RedirectUris.Select((u, i) => (JsonNode?)new JsonObject { ["uri"] = u, ["index"] = null }).ToArray()),
        },
    };

    public static JsonObject ServicePrincipal(StoredServicePrincipal sp, StoredApplication? app) => new()
    {
        ["@odata.type"] = "#microsoft.graph.servicePrincipal",
        ["id"] = sp.Id,
        ["deletedDateTime"] = null,
        ["accountEnabled"] = sp.AccountEnabled,
        ["appDisplayName"] = sp.DisplayName,
        ["appId"] = sp.AppId,
        ["applicationTemplateId"] = sp.ApplicationTemplateId,
        ["appOwnerOrganizationId"] = null,
        ["appRoleAssignmentRequired"] = sp.AppRoleAssignmentRequired,
        ["createdDateTime"] = GraphJson.Date(sp.CreatedDateTime),
        ["displayName"] = sp.DisplayName,
        ["homepage"] = app?.HomePageUrl,
        ["loginUrl"] = null,
        ["logoutUrl"] = app?.LogoutUrl,
        ["preferredSingleSignOnMode"] = sp.PreferredSingleSignOnMode,
        ["preferredTokenSigningKeyThumbprint"] = sp.PreferredTokenSigningKeyThumbprint,
        ["replyUrls"] = GraphJson.Strings(app?.RedirectUris ?? []),
        ["servicePrincipalNames"] = GraphJson.Strings((app?.IdentifierUris ?? []).Prepend(sp.AppId)),
        ["servicePrincipalType"] = "Application",
        ["signInAudience"] = "AzureADMyOrg",
        ["tags"] = GraphJson.Strings(sp.Tags),
        ["samlSingleSignOnSettings"] = sp.RelayState is null ? null : new JsonObject { ["relayState"] = sp.RelayState },
        ["appRoles"] = new JsonArray(sp.AppRoles.Select(r => (JsonNode?)AppRole(r)).ToArray()),
        ["keyCredentials"] = new JsonArray(sp.KeyCredentials.Select(k => (JsonNode?)new JsonObject
        {
            ["customKeyIdentifier"] = k.CustomKeyIdentifier,
            ["displayName"] = k.DisplayName,
            ["endDateTime"] = GraphJson.Date(k.EndDateTime),
            ["key"] = null,
            ["keyId"] = k.KeyId.ToString(),
            ["startDateTime"] = GraphJson.Date(k.StartDateTime),
            ["type"] = k.Type,
            ["usage"] = k.Usage,
        }).ToArray()),
        ["passwordCredentials"] = new JsonArray(sp.PasswordCredentials.Select(p => (JsonNode?)new JsonObject
        {
            ["customKeyIdentifier"] = p.CustomKeyIdentifier,
            ["displayName"] = p.DisplayName,
            ["endDateTime"] = GraphJson.Date(p.EndDateTime),
            ["hint"] = null,
            ["keyId"] = p.KeyId.ToString(),
            ["secretText"] = null,
            ["startDateTime"] = GraphJson.Date(p.StartDateTime),
        }).ToArray()),
    };

    public static JsonObject ClaimsMappingPolicy(StoredClaimsMappingPolicy policy) => new()
    {
        ["@odata.type"] = "#microsoft.graph.claimsMappingPolicy",
        ["id"] = policy.Id,
        ["deletedDateTime"] = null,
        ["definition"] = GraphJson.Strings(policy.Definition),
        ["displayName"] = policy.DisplayName,
        ["isOrganizationDefault"] = policy.IsOrganizationDefault,
    };

    public static JsonObject Assignment(StoredAppRoleAssignment a) => new()
    {
        ["@odata.type"] = "#microsoft.graph.appRoleAssignment",
        ["id"] = a.Id,
        ["deletedDateTime"] = null,
        ["appRoleId"] = a.AppRoleId.ToString(),
        ["createdDateTime"] = GraphJson.Date(a.CreatedDateTime),
        ["principalDisplayName"] = a.PrincipalDisplayName,
        ["principalId"] = a.PrincipalId,
        ["principalType"] = a.PrincipalType,
        ["resourceDisplayName"] = a.ResourceDisplayName,
        ["resourceId"] = a.ResourceId,
    };

    public static JsonObject User(SandboxUser user) => new()
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = user.Id,
        ["businessPhones"] = new JsonArray(),
        ["displayName"] = user.DisplayName,
        ["givenName"] = user.DisplayName.Split(' ')[0],
        ["jobTitle"] = user.JobTitle,
        ["mail"] = user.Mail,
        ["mobilePhone"] = null,
        ["officeLocation"] = null,
        ["preferredLanguage"] = null,
        ["surname"] = user.DisplayName.Contains(' ', StringComparison.Ordinal) ? user.DisplayName[(user.DisplayName.IndexOf(' ', StringComparison.Ordinal) + 1)..] : null,
        ["userPrincipalName"] = user.UserPrincipalName,
        ["accountEnabled"] = user.AccountEnabled,
    };

    public static JsonObject Group(SandboxGroup group) => new()
    {
        ["@odata.type"] = "#microsoft.graph.group",
        ["id"] = group.Id,
        ["deletedDateTime"] = null,
        ["description"] = group.Description,
        ["displayName"] = group.DisplayName,
        ["groupTypes"] = new JsonArray(),
        ["mail"] = null,
        ["mailEnabled"] = false,
        ["mailNickname"] = group.DisplayName.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant(),
        ["securityEnabled"] = true,
        ["visibility"] = null,
    };
}
