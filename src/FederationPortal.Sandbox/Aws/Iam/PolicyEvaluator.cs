namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>The outcome of evaluating policies for one action on one resource, named as SimulatePrincipalPolicy names it.</summary>
internal enum PolicyDecision
{
    ImplicitDeny,
    Allowed,
    ExplicitDeny,
}

/// <summary>
/// IAM's evaluation logic for identity and trust policies: an explicit Deny wins, otherwise an Allow is needed;
/// <c>Action</c>/<c>NotAction</c> and <c>Resource</c>/<c>NotResource</c> with <c>*</c> and <c>?</c> wildcards;
/// conditions with the String* operators (and <c>…IfExists</c>, <c>ForAnyValue:</c>/<c>ForAllValues:</c>). An
/// operator it does not know makes the statement not apply (for an Allow: deny by default, the safe side).
/// </summary>
internal static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(
        IEnumerable<PolicyDocument> policies,
        string action,
        string resource,
        IReadOnlyDictionary<string, string>? context = null,
        Func<PolicyStatement, bool>? principalMatches = null)
    {
        var decision = PolicyDecision.ImplicitDeny;
        foreach (var statement in policies.SelectMany(p => p.Statements))
        {
            if (!Applies(statement, action, resource, context ?? new Dictionary<string, string>(), principalMatches))
            {
                continue;
            }

            if (!statement.Allow)
            {
                return PolicyDecision.ExplicitDeny;
            }

            decision = PolicyDecision.Allowed;
        }

        return decision;
    }

    private static bool Applies(PolicyStatement statement, string action, string resource, IReadOnlyDictionary<string, string> context, Func<PolicyStatement, bool>? principalMatches)
    {
        var actionListed = statement.Actions.Any(a => Wildcard(a, action, ignoreCase: true));
        if (actionListed == statement.NotAction)
        {
            return false;
        }

        if (statement.Resources.Count > 0)
        {
            var resourceListed = statement.Resources.Any(r => Wildcard(r, resource, ignoreCase: false));
            if (resourceListed == statement.NotResource)
            {
                return false;
            }
        }

        if (principalMatches is not null && !principalMatches(statement))
        {
            return false;
        }

        return statement.Conditions.All(c => Holds(c, context));
    }

    private static bool Holds(PolicyCondition condition, IReadOnlyDictionary<string, string> context)
    {
        var op = condition.Operator;
        var forAll = false;
        if (op.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            op = op["ForAnyValue:".Length..];
        }
        else if (op.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            op = op["ForAllValues:".Length..];
            forAll = true;
        }

        var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            op = op[..^"IfExists".Length];
        }

        var present = TryGetContext(context, condition.Key, out var value);
        if (op == "Null")
        {
            var wantsNull = condition.Values.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
            return wantsNull != present;
        }

        if (!present)
        {
            return ifExists || forAll;
        }

        return op switch
        {
            "StringEquals" => condition.Values.Any(v => string.Equals(v, value, StringComparison.Ordinal)),
            "StringNotEquals" => condition.Values.All(v => !string.Equals(v, value, StringComparison.Ordinal)),
            "StringEqualsIgnoreCase" => condition.Values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)),
            "StringNotEqualsIgnoreCase" => condition.Values.All(v => !string.Equals(v, value, StringComparison.OrdinalIgnoreCase)),
            "StringLike" => condition.Values.Any(v => Wildcard(v, value!, ignoreCase: false)),
            "StringNotLike" => condition.Values.All(v => !Wildcard(v, value!, ignoreCase: false)),
            "ArnEquals" or "ArnLike" => condition.Values.Any(v => Wildcard(v, value!, ignoreCase: false)),
            "ArnNotEquals" or "ArnNotLike" => condition.Values.All(v => !Wildcard(v, value!, ignoreCase: false)),
            "Bool" => condition.Values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    /// <summary>Condition keys are case-insensitive in IAM.</summary>
    private static bool TryGetContext(IReadOnlyDictionary<string, string> context, string key, out string? value)
    {
        foreach (var (name, candidate) in context)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>IAM's wildcard match: <c>*</c> any run of characters, <c>?</c> any one character.</summary>
    public static bool Wildcard(string pattern, string value, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || string.Compare(pattern, p, value, v, 1, comparison) == 0) && pattern[p] != '*')
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
