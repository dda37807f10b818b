using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Tenant;
using FederationPortal.Sandbox.People;

namespace FederationPortal.Sandbox.Entra.Graph;

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

    /// <summary>A <c>signIn</c> of <c>/auditLogs/signIns</c>: a SAML sign-in from a browser, no conditional access, no risk.</summary>
    public static JsonObject SignIn(StoredSignIn s) => new()
    {
        ["id"] = s.Id,
        ["createdDateTime"] = GraphJson.Date(s.CreatedDateTime),
        ["userDisplayName"] = s.UserDisplayName,
        ["userPrincipalName"] = s.UserPrincipalName,
        ["userId"] = s.UserId ?? "00000000-0000-0000-0000-000000000000",
        ["appId"] = s.AppId,
        ["appDisplayName"] = s.AppDisplayName,
        ["ipAddress"] = s.IpAddress,
        ["clientAppUsed"] = "Browser",
        ["correlationId"] = s.CorrelationId,
        ["conditionalAccessStatus"] = "notApplied",
        ["isInteractive"] = true,
        ["riskDetail"] = "none",
        ["riskLevelAggregated"] = "none",
        ["riskLevelDuringSignIn"] = "none",
        ["riskState"] = "none",
        ["riskEventTypes"] = new JsonArray(),
        ["riskEventTypes_v2"] = new JsonArray(),
        ["resourceDisplayName"] = s.AppDisplayName,
        ["resourceId"] = s.AppId,
        ["status"] = new JsonObject
        {
            ["errorCode"] = s.ErrorCode,
            ["failureReason"] = s.ErrorCode == 0 ? null : s.FailureReason,
            ["additionalDetails"] = s.AdditionalDetails,
        },
        ["deviceDetail"] = new JsonObject
        {
            ["deviceId"] = "",
            ["displayName"] = null,
            ["operatingSystem"] = OperatingSystem(s.UserAgent),
            ["browser"] = Browser(s.UserAgent),
            ["isCompliant"] = false,
            ["isManaged"] = false,
            ["trustType"] = null,
        },
        ["location"] = new JsonObject
        {
            ["city"] = null,
            ["state"] = null,
            ["countryOrRegion"] = null,
            ["geoCoordinates"] = new JsonObject { ["altitude"] = null, ["latitude"] = null, ["longitude"] = null },
        },
        ["appliedConditionalAccessPolicies"] = new JsonArray(),
    };

    /// <summary>A <c>directoryAudit</c> of <c>/auditLogs/directoryAudits</c>.</summary>
    public static JsonObject DirectoryAudit(StoredDirectoryAudit a) => new()
    {
        ["id"] = a.Id,
        ["category"] = a.Category,
        ["correlationId"] = a.CorrelationId,
        ["result"] = a.Result,
        ["resultReason"] = a.ResultReason,
        ["activityDisplayName"] = a.ActivityDisplayName,
        ["activityDateTime"] = GraphJson.PreciseDate(a.ActivityDateTime),
        ["loggedByService"] = a.LoggedByService,
        ["operationType"] = a.OperationType,
        ["initiatedBy"] = new JsonObject
        {
            ["user"] = null,
            ["app"] = new JsonObject
            {
                ["appId"] = a.InitiatorAppId,
                ["displayName"] = a.InitiatorDisplayName,
                ["servicePrincipalId"] = a.InitiatorServicePrincipalId,
                ["servicePrincipalName"] = null,
            },
        },
        ["targetResources"] = new JsonArray([.. a.TargetResources.Select(t => (JsonNode)new JsonObject
        {
            ["id"] = t.Id,
            ["displayName"] = t.DisplayName,
            ["type"] = t.Type,
            ["userPrincipalName"] = t.UserPrincipalName,
            ["groupType"] = null,
            ["modifiedProperties"] = new JsonArray([.. t.ModifiedProperties.Select(p => (JsonNode)new JsonObject
            {
                ["displayName"] = p.DisplayName,
                ["oldValue"] = p.OldValue,
                ["newValue"] = p.NewValue,
            })]),
        })]),
        ["additionalDetails"] = new JsonArray([.. a.AdditionalDetails.Select(d => (JsonNode)new JsonObject { ["key"] = d.Key, ["value"] = d.Value })]),
    };

    private static string? OperatingSystem(string? userAgent) => userAgent switch
    {
        null or "" => null,
        _ when userAgent.Contains("Windows", StringComparison.Ordinal) => "Windows10",
        _ when userAgent.Contains("Mac OS", StringComparison.Ordinal) => "MacOs",
        _ when userAgent.Contains("Android", StringComparison.Ordinal) => "Android",
        _ when userAgent.Contains("Linux", StringComparison.Ordinal) => "Linux",
        _ => null,
    };

    private static string? Browser(string? userAgent) => userAgent switch
    {
        null or "" => null,
        _ when userAgent.Contains("Edg/", StringComparison.Ordinal) => "Edge",
        _ when userAgent.Contains("Chrome/", StringComparison.Ordinal) => "Chrome",
        _ when userAgent.Contains("Firefox/", StringComparison.Ordinal) => "Firefox",
        _ when userAgent.Contains("Safari/", StringComparison.Ordinal) => "Safari",
        _ => "Other",
    };
}
