using System.Text.Json;
using FederationPortal.Core.Entra;

namespace FederationPortal.Core.Doctor;

/// <summary>Reading the documents the checks judge: Role claim values, trust policies, key credentials.</summary>
public static class DoctorParsing
{
    /// <summary>An AWS app role's value, <c>roleArn,providerArn</c> in either order; null when it is not such a pair.</summary>
    public static (string RoleArn, string ProviderArn)? ParseRoleValue(string? value)
    {
        var parts = (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            return null;
        }

        var role = parts.FirstOrDefault(p => p.StartsWith("arn:aws:iam::", StringComparison.Ordinal) && p.Contains(":role/", StringComparison.Ordinal));
        var provider = parts.FirstOrDefault(p => p.StartsWith("arn:aws:iam::", StringComparison.Ordinal) && p.Contains(":saml-provider/", StringComparison.Ordinal));
        return role is null || provider is null ? null : (role, provider);
    }

    /// <summary>True when the value looks meant for AWS (names a role or a provider), even if malformed.</summary>
    public static bool LooksLikeAwsRoleValue(string? value)
        => value is not null && (value.Contains(":role/", StringComparison.Ordinal) || value.Contains(":saml-provider/", StringComparison.Ordinal));

    /// <summary>The role's name: the last path segment of its ARN.</summary>
    public static string RoleName(string roleArn) => roleArn[(roleArn.LastIndexOf('/') + 1)..];

    /// <summary>The 12-digit account of an IAM ARN.</summary>
    public static string? AccountOf(string arn) => arn.Split(':') is { Length: >= 6 } parts ? parts[4] : null;

    /// <summary>The hex thumbprint a key credential stands for (Entra keeps it base64 in customKeyIdentifier).</summary>
    public static string? Thumbprint(EntraKeyCredential key)
    {
        if (key.CustomKeyIdentifier is not { Length: > 0 } id)
        {
            return null;
        }

        try
        {
            return Convert.ToHexString(Convert.FromBase64String(id));
        }
        catch (FormatException)
        {
            return id;
        }
    }

    /// <summary>What is wrong with a role's trust policy for SAML federation through <paramref name="providerArn"/>; empty when nothing is.</summary>
    public static IReadOnlyList<string> TrustPolicyProblems(string? document, string providerArn, string audience)
    {
        if (string.IsNullOrWhiteSpace(document))
        {
            return ["The role has no trust policy: nobody can assume it."];
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(Uri.UnescapeDataString(document)).RootElement.Clone();
        }
        catch (JsonException)
        {
            return ["The trust policy is not valid JSON."];
        }

        var statements = root.TryGetProperty("Statement", out var s)
            ? s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [s]
            : [];
        var allows = statements.Where(st => Text(st, "Effect") == "Allow").ToList();
        var problems = new List<string>();

        var samlStatements = allows.Where(st => Strings(st, "Action").Any(IsAssumeRoleWithSaml)).ToList();
        if (samlStatements.Count == 0)
        {
            problems.Add("No statement allows sts:AssumeRoleWithSAML.");
        }

        var principals = allows.SelectMany(Principals).Distinct().ToList();
        var providers = principals.Where(p => p.Kind == "Federated" && p.Value.Contains(":saml-provider/", StringComparison.Ordinal)).Select(p => p.Value).Distinct(StringComparer.Ordinal).ToList();
        var trustsOurs = samlStatements.Any(st => Principals(st).Any(p => p.Kind == "Federated" && p.Value == providerArn));
        if (!trustsOurs)
        {
            var named = (samlStatements.Count > 0 ? samlStatements : allows).SelectMany(Principals).Select(Describe).Distinct().ToList();
            problems.Add(named.Count == 0
                ? $"It does not trust this environment's SAML provider {providerArn}: AWS refuses the sign-in ('Not authorized to perform sts:AssumeRoleWithSAML'), the role picker errors."
                : $"It trusts {string.Join(", ", named)} instead of this environment's SAML provider {providerArn}: AWS refuses the sign-in ('Not authorized to perform sts:AssumeRoleWithSAML').");
        }
        else
        {
            var extra = principals.Where(p => !(p.Kind == "Federated" && p.Value == providerArn)).Select(Describe).ToList();
            if (extra.Count > 0)
            {
                problems.Add($"Besides this environment's SAML provider it also trusts {string.Join(", ", extra)}: an extra trusted entity nobody asked for.");
            }

            if (!samlStatements.Where(st => Principals(st).Any(p => p.Kind == "Federated" && p.Value == providerArn)).Any(st => HasAudienceCondition(st, audience)))
            {
                problems.Add($"The statement for {providerArn} has no condition SAML:aud = {audience}: any audience would do, which AWS's guidance forbids.");
            }
        }

        if (providers.Count > 1)
        {
            problems.Add($"It names {providers.Count} SAML providers ({string.Join(", ", providers)}): Entra's provisioning connector imports only roles that trust exactly one.");
        }

        return problems;
    }

    private static bool IsAssumeRoleWithSaml(string action)
        => action.Equals("sts:AssumeRoleWithSAML", StringComparison.OrdinalIgnoreCase) || action is "sts:*" or "*";

    private static bool HasAudienceCondition(JsonElement statement, string audience)
    {
        if (!statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var op in condition.EnumerateObject().Where(o => o.Name is "StringEquals" or "StringEqualsIgnoreCase" or "StringLike" or "ForAnyValue:StringEquals" or "ForAllValues:StringEquals"))
        {
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var key in op.Value.EnumerateObject().Where(k => k.Name.Equals("SAML:aud", StringComparison.OrdinalIgnoreCase)))
            {
                if (Values(key.Value).Contains(audience, StringComparer.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private sealed record Principal(string Kind, string Value);

    private static string Describe(Principal p) => p.Kind == "*" ? "everyone (\"*\")" : $"{p.Kind} {p.Value}";

    private static IEnumerable<Principal> Principals(JsonElement statement)
    {
        if (!statement.TryGetProperty("Principal", out var principal))
        {
            yield break;
        }

        if (principal.ValueKind == JsonValueKind.String)
        {
            yield return new Principal("*", principal.GetString() ?? "*");
            yield break;
        }

        if (principal.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var kind in principal.EnumerateObject())
        {
            foreach (var value in Values(kind.Value))
            {
                yield return new Principal(kind.Name, value);
            }
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Values(value) : [];

    private static IEnumerable<string> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
        _ => [],
    };
}
