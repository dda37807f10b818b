using System.Globalization;
using System.Text.RegularExpressions;
using FederationPortal.Sandbox.Aws.Iam;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>The parameters of one Query-protocol call (form body and query string), with AWS-style validation helpers.</summary>
internal sealed partial class AwsQueryRequest(IReadOnlyDictionary<string, string> parameters)
{
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public string Action => Optional("Action") ?? "";

    public string? Optional(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>A required string; <paramref name="member"/> is the camelCase name AWS quotes in validation errors.</summary>
    public string Required(string name, string? member = null)
        => Optional(name) ?? throw AwsQueryError.Constraint(null, member ?? Camel(name), "Member must not be null");

    /// <summary>A required name matching <c>[\w+=,.@-]+</c> with AWS's length bounds.</summary>
    public string Name(string name, int maxLength, string? member = null)
    {
        var value = Required(name, member);
        CheckLength(value, 1, maxLength, member ?? Camel(name));
        if (!NamePattern().IsMatch(value))
        {
            throw AwsQueryError.Constraint(value, member ?? Camel(name), @"Member must satisfy regular expression pattern: [\w+=,.@-]+");
        }

        return value;
    }

    public static void CheckLength(string value, int min, int max, string member)
    {
        if (value.Length < min)
        {
            throw AwsQueryError.Constraint(value, member, $"Member must have length greater than or equal to {min}");
        }

        if (value.Length > max)
        {
            throw AwsQueryError.Constraint(value, member, $"Member must have length less than or equal to {max}");
        }
    }

    public int? Integer(string name, int min, int max, string? member = null)
    {
        var text = Optional(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw AwsQueryError.Validation($"Value ({text}) for parameter {name} is invalid. Expected a number.");
        }

        if (value < min)
        {
            throw AwsQueryError.Constraint(text, member ?? Camel(name), $"Member must have value greater than or equal to {min}");
        }

        if (value > max)
        {
            throw AwsQueryError.Constraint(text, member ?? Camel(name), $"Member must have value less than or equal to {max}");
        }

        return value;
    }

    /// <summary>A Query list: <c>Name.member.1</c>, <c>Name.member.2</c>, …</summary>
    public IReadOnlyList<string> List(string name)
    {
        var values = new List<string>();
        for (var i = 1; Optional($"{name}.member.{i}") is { } value; i++)
        {
            values.Add(value);
        }

        return values;
    }

    /// <summary>Tags: <c>Tags.member.N.Key</c> / <c>.Value</c>, checked as IAM does (at most 50, key 1–128, value 0–256).</summary>
    public IReadOnlyList<SandboxTag> Tags(string name = "Tags")
    {
        var tags = new List<SandboxTag>();
        for (var i = 1; Optional($"{name}.member.{i}.Key") is { } key; i++)
        {
            var value = Optional($"{name}.member.{i}.Value") ?? throw AwsQueryError.Constraint(null, $"tags.{i}.member.value", "Member must not be null");
            CheckLength(key, 1, 128, $"tags.{i}.member.key");
            CheckLength(value, 0, 256, $"tags.{i}.member.value");
            if (tags.Any(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                throw AwsQueryError.InvalidInput($"Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }

            tags.Add(new SandboxTag(key, value));
        }

        if (tags.Count > 50)
        {
            throw AwsQueryError.Constraint(null, "tags", "Member must have length less than or equal to 50");
        }

        return tags;
    }

    public string Path(string name = "Path")
    {
        var path = Optional(name) ?? "/";
        CheckLength(path, 1, 512, Camel(name));
        if (!PathPattern().IsMatch(path))
        {
            throw AwsQueryError.Constraint(path, Camel(name), @"Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)");
        }

        return path;
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [GeneratedRegex(@"^[a-zA-Z_0-9+=,.@-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(/|/[\u0021-\u007E]+/)$")]
    private static partial Regex PathPattern();
}
