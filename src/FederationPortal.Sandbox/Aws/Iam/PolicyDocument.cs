using System.Text.Json;
using System.Text.RegularExpressions;
using FederationPortal.Sandbox.Aws.Protocol;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>Whether a document is an identity policy (permissions) or a trust policy (who may assume a role).</summary>
internal enum PolicyKind
{
    Identity,
    Trust,
}

/// <summary>One statement of an IAM policy, normalized (single values become lists).</summary>
internal sealed record PolicyStatement(
    bool Allow,
    IReadOnlyList<string> Actions,
    bool NotAction,
    IReadOnlyList<string> Resources,
    bool NotResource,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Principals,
    IReadOnlyList<PolicyCondition> Conditions);

/// <summary>A condition: operator (e.g. <c>StringEquals</c>), key (e.g. <c>SAML:aud</c>), values.</summary>
internal sealed record PolicyCondition(string Operator, string Key, IReadOnlyList<string> Values);

/// <summary>An IAM policy document parsed with IAM's grammar checks; a violation is <c>MalformedPolicyDocument</c>.</summary>
internal sealed partial class PolicyDocument
{
    private PolicyDocument(IReadOnlyList<PolicyStatement> statements) => Statements = statements;

    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>Parses and checks a document; throws <see cref="AwsQueryError"/> <c>MalformedPolicyDocument</c> as IAM does.</summary>
    public static PolicyDocument Parse(string json, PolicyKind kind)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw AwsQueryError.MalformedPolicyDocument("This policy contains invalid Json");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw AwsQueryError.MalformedPolicyDocument("This policy contains invalid Json");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("Version" or "Statement" or "Id"))
                {
                    throw AwsQueryError.MalformedPolicyDocument($"Syntax errors in policy. Unknown field {property.Name}");
                }
            }

            if (root.TryGetProperty("Version", out var version) && version.GetString() is not ("2012-10-17" or "2008-10-17"))
            {
                throw AwsQueryError.MalformedPolicyDocument("The policy failed legacy parsing");
            }

            if (!root.TryGetProperty("Statement", out var statementNode))
            {
                throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.");
            }

            var nodes = statementNode.ValueKind == JsonValueKind.Array ? statementNode.EnumerateArray().ToList() : [statementNode];
            if (nodes.Count == 0)
            {
                throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.");
            }

            return new PolicyDocument(nodes.Select(n => ParseStatement(n, kind)).ToList());
        }
    }

    private static PolicyStatement ParseStatement(JsonElement node, PolicyKind kind)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.");
        }

        foreach (var property in node.EnumerateObject())
        {
            if (property.Name is not ("Sid" or "Effect" or "Action" or "NotAction" or "Resource" or "NotResource" or "Principal" or "NotPrincipal" or "Condition"))
            {
                throw AwsQueryError.MalformedPolicyDocument($"Syntax errors in policy. Unknown field {property.Name}");
            }
        }

        var effect = node.TryGetProperty("Effect", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (effect is not ("Allow" or "Deny"))
        {
            throw AwsQueryError.MalformedPolicyDocument(effect is null ? "Missing required field Effect" : $"Invalid effect: {effect}");
        }

        var hasAction = node.TryGetProperty("Action", out var action);
        var hasNotAction = node.TryGetProperty("NotAction", out var notAction);
        if (hasAction == hasNotAction)
        {
            throw AwsQueryError.MalformedPolicyDocument(hasAction ? "Syntax errors in policy." : "Policy statement must contain actions.");
        }

        var actions = Strings(hasAction ? action : notAction);
        foreach (var name in actions)
        {
            if (name != "*" && !ActionPattern().IsMatch(name))
            {
                throw AwsQueryError.MalformedPolicyDocument($"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            }
        }

        var hasResource = node.TryGetProperty("Resource", out var resource);
        var hasNotResource = node.TryGetProperty("NotResource", out var notResource);
        var hasPrincipal = node.TryGetProperty("Principal", out var principal) | node.TryGetProperty("NotPrincipal", out _);
        if (kind == PolicyKind.Identity)
        {
            if (hasPrincipal)
            {
                throw AwsQueryError.MalformedPolicyDocument("Policy document should not specify a principal.");
            }

            if (!hasResource && !hasNotResource)
            {
                throw AwsQueryError.MalformedPolicyDocument("Policy statement must contain resources.");
            }
        }
        else
        {
            if (hasResource || hasNotResource)
            {
                throw AwsQueryError.MalformedPolicyDocument("Has prohibited field Resource");
            }

            if (!hasPrincipal)
            {
                throw AwsQueryError.MalformedPolicyDocument("Missing required field Principal");
            }
        }

        var resources = hasResource ? Strings(resource) : hasNotResource ? Strings(notResource) : [];
        foreach (var arn in resources)
        {
            if (arn != "*" && !arn.StartsWith("arn:", StringComparison.Ordinal))
            {
                throw AwsQueryError.MalformedPolicyDocument($"Resource {arn} must be in ARN format or \"*\".");
            }
        }

        var principals = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (node.TryGetProperty("Principal", out principal))
        {
            if (principal.ValueKind == JsonValueKind.String && principal.GetString() == "*")
            {
                principals["AWS"] = ["*"];
            }
            else if (principal.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in principal.EnumerateObject())
                {
                    if (property.Name is not ("AWS" or "Federated" or "Service" or "CanonicalUser"))
                    {
                        throw AwsQueryError.MalformedPolicyDocument($"Invalid principal in policy: \"{property.Name}\"");
                    }

                    principals[property.Name] = Strings(property.Value);
                }
            }
            else
            {
                throw AwsQueryError.MalformedPolicyDocument("Invalid principal in policy");
            }
        }

        var conditions = new List<PolicyCondition>();
        if (node.TryGetProperty("Condition", out var condition))
        {
            if (condition.ValueKind != JsonValueKind.Object)
            {
                throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.");
            }

            foreach (var op in condition.EnumerateObject())
            {
                if (op.Value.ValueKind != JsonValueKind.Object)
                {
                    throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.");
                }

                foreach (var key in op.Value.EnumerateObject())
                {
                    conditions.Add(new PolicyCondition(op.Name, key.Name, Strings(key.Value, allowScalars: true)));
                }
            }
        }

        return new PolicyStatement(effect == "Allow", actions, hasNotAction, resources, hasNotResource, principals, conditions);
    }

    private static List<string> Strings(JsonElement element, bool allowScalars = false)
    {
        static string? Scalar(JsonElement value, bool allowScalars) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number when allowScalars => value.GetRawText(),
            _ => null,
        };

        if (element.ValueKind == JsonValueKind.Array)
        {
            var list = element.EnumerateArray().Select(v => Scalar(v, allowScalars) ?? throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.")).ToList();
            return list.Count == 0 ? throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.") : list;
        }

        return [Scalar(element, allowScalars) ?? throw AwsQueryError.MalformedPolicyDocument("Syntax errors in policy.")];
    }

    [GeneratedRegex(@"^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$")]
    private static partial Regex ActionPattern();
}
