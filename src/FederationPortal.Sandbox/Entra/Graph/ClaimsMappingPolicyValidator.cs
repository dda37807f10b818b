using System.Text.Json;
using System.Text.Json.Nodes;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>One claim a claims mapping policy emits: from a user attribute (<c>Source</c>+<c>ID</c>) or a constant (<c>Value</c>).</summary>
internal sealed record ClaimRule(string? Source, string? AttributeId, string? Value, string? SamlClaimType);

/// <summary>A validated claims mapping policy definition.</summary>
internal sealed record ClaimsMappingDefinition(bool IncludeBasicClaimSet, IReadOnlyList<ClaimRule> Claims);

/// <summary>
/// Validates a <c>claimsMappingPolicy</c> definition against Entra's schema. Keys are case-sensitive and unknown keys
/// are refused (Entra would otherwise silently ignore them, which is the trap admins fall into); a claim takes either
/// a constant <c>Value</c> or a <c>Source</c> with an <c>ID</c>, never both and never an <c>ID</c> alone.
/// </summary>
internal static class ClaimsMappingPolicyValidator
{
    private static readonly HashSet<string> RootKeys = ["Version", "IncludeBasicClaimSet", "ClaimsSchema", "ClaimsTransformations"];
    private static readonly HashSet<string> ClaimKeys = ["Source", "ID", "Value", "SamlClaimType", "JwtClaimType", "SamlNameIdFormat", "TransformationId", "ExtensionID"];
    private static readonly HashSet<string> Sources = ["user", "application", "resource", "audience", "company", "transformation"];

    /// <summary>The user attributes a claim may take (<c>Source: user</c>).</summary>
    public static readonly HashSet<string> UserAttributes = new(StringComparer.Ordinal)
    {
        "surname", "givenname", "displayname", "objectid", "mail", "userprincipalname", "department", "onpremisessamaccountname",
        "netbiosname", "dnsdomainname", "onpremisesecurityidentifier", "companyname", "streetaddress", "postalcode",
        "preferredlanguage", "onpremisesuserprincipalname", "mailnickname", "othermail", "country", "city", "state",
        "jobtitle", "employeeid", "facsimiletelephonenumber", "assignedroles", "accountenabled", "usertype", "tenantid",
        "extensionattribute1", "extensionattribute2", "extensionattribute3", "extensionattribute4", "extensionattribute5",
        "extensionattribute6", "extensionattribute7", "extensionattribute8", "extensionattribute9", "extensionattribute10",
        "extensionattribute11", "extensionattribute12", "extensionattribute13", "extensionattribute14", "extensionattribute15",
    };

    /// <exception cref="GraphException">400 with the first problem found.</exception>
    public static ClaimsMappingDefinition Validate(IReadOnlyList<string> definition)
    {
        if (definition.Count != 1)
        {
            throw Invalid("definition must hold exactly one JSON string.");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(definition[0]) as JsonObject ?? throw Invalid("definition is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw Invalid($"definition is not valid JSON: {e.Message}");
        }

        if (root.Count != 1 || root["ClaimsMappingPolicy"] is not JsonObject policy)
        {
            throw Invalid("the definition's only key must be 'ClaimsMappingPolicy' (keys are case-sensitive).");
        }

        foreach (var (key, _) in policy)
        {
            if (!RootKeys.Contains(key))
            {
                throw Invalid($"unknown key '{key}' in ClaimsMappingPolicy (keys are case-sensitive; allowed: {string.Join(", ", RootKeys)}).");
            }
        }

        if (policy["Version"] is not JsonValue version || !(version.TryGetValue<int>(out var v) ? v == 1 : version.TryGetValue<string>(out var vs) && vs == "1"))
        {
            throw Invalid("ClaimsMappingPolicy.Version must be 1.");
        }

        var includeBasic = true;
        if (policy["IncludeBasicClaimSet"] is { } basicNode)
        {
            includeBasic = basicNode is JsonValue basic && (basic.TryGetValue<bool>(out var b) ? b
                : basic.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed) ? parsed
                : throw Invalid("ClaimsMappingPolicy.IncludeBasicClaimSet must be \"true\" or \"false\"."));
        }

        var rules = new List<ClaimRule>();
        if (policy["ClaimsSchema"] is { } schemaNode)
        {
            if (schemaNode is not JsonArray schema)
            {
                throw Invalid("ClaimsMappingPolicy.ClaimsSchema must be an array.");
            }

            for (var i = 0; i < schema.Count; i++)
            {
                rules.Add(ValidateClaim(schema[i] as JsonObject ?? throw Invalid($"ClaimsSchema[{i}] must be an object."), i));
            }
        }

        return new ClaimsMappingDefinition(includeBasic, rules);
    }

    private static ClaimRule ValidateClaim(JsonObject claim, int index)
    {
        foreach (var (key, node) in claim)
        {
            if (!ClaimKeys.Contains(key))
            {
                throw Invalid($"unknown key '{key}' in ClaimsSchema[{index}] (keys are case-sensitive; allowed: {string.Join(", ", ClaimKeys)}).");
            }

            if (node is not JsonValue scalar || !scalar.TryGetValue<string>(out _))
            {
                throw Invalid($"ClaimsSchema[{index}].{key} must be a string.");
            }
        }

        string? Get(string key) => claim[key]?.GetValue<string>();
        var source = Get("Source");
        var id = Get("ID");
        var value = Get("Value");
        if (Get("SamlClaimType") is null && Get("JwtClaimType") is null)
        {
            throw Invalid($"ClaimsSchema[{index}] names neither SamlClaimType nor JwtClaimType.");
        }

        if (value is not null && (source is not null || id is not null))
        {
            throw Invalid($"ClaimsSchema[{index}] has both a constant Value and a Source/ID: use one or the other.");
        }

        if (value is null)
        {
            if (id is null)
            {
                throw Invalid($"ClaimsSchema[{index}] has neither a Value nor an ID.");
            }

            if (source is null)
            {
                throw Invalid($"ClaimsSchema[{index}] has an ID without a Source; a constant takes 'Value', not 'ID'.");
            }

            if (!Sources.Contains(source))
            {
                throw Invalid($"ClaimsSchema[{index}].Source '{source}' is not one of {string.Join(", ", Sources)}.");
            }

            if (source == "user" && !UserAttributes.Contains(id))
            {
                throw Invalid($"ClaimsSchema[{index}].ID '{id}' is not a user attribute Entra can emit.");
            }
        }

        return new ClaimRule(source, id, value, Get("SamlClaimType"));
    }

    private static GraphException Invalid(string detail) => new(400, "Request_BadRequest", $"Property 'definition' has an invalid value: {detail}");
}
