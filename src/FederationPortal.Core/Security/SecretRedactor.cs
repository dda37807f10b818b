using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FederationPortal.Core.Security;

/// <summary>
/// Removes secrets from anything that is about to be stored, logged or audited. A property is treated as a
/// secret by its name (secret, password, token, private key, SAML assertion, credentials' values) and a string
/// value by its shape (an AWS secret access key, a PEM private key).
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "***redacted***";

    private static readonly string[] SecretNameParts =
    [
        "secret", "password", "passwd", "token", "privatekey", "samlassertion", "samlresponse",
        "credential", "apikey", "clientassertion", "sessiontoken", "authorization", "cookie",
    ];

    /// <summary>True when a property of this name holds a secret.</summary>
    public static bool IsSecretName(string name)
    {
        var lowered = name.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

        // Identifiers and fingerprints of secrets are not secrets: an access key id, a token-signing thumbprint.
        if (lowered.Contains("thumbprint", StringComparison.Ordinal) || lowered.EndsWith("id", StringComparison.Ordinal) || lowered.EndsWith("ids", StringComparison.Ordinal))
        {
            return false;
        }

        return SecretNameParts.Any(lowered.Contains);
    }

    /// <summary>Serializes <paramref name="value"/> to JSON with every secret replaced by <see cref="Mask"/>.</summary>
    public static string ToRedactedJson(object? value)
    {
        if (value is null)
        {
            return "{}";
        }

        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, value.GetType(), JsonOptions);
        return Redact(node)?.ToJsonString(JsonOptions) ?? "{}";
    }

    /// <summary>Redacts free text (an error message, a log line): PEM blocks and strings shaped like AWS secrets.</summary>
    public static string RedactText(string text)
    {
        var result = PemBlock().Replace(text, Mask);
        result = AwsSecretKey().Replace(result, Mask);
        return result;
    }

    private static JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    obj[name] = IsSecretName(name) && child is not null ? JsonValue.Create(Mask) : Redact(child?.DeepClone());
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Redact(array[i]?.DeepClone());
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(RedactText(text));
            default:
                return node;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PemBlock();

    // AWS secret access keys: exactly 40 characters of the base64 alphabet with both cases, so that
    // certificate thumbprints and commit hashes (one-case hex) are left alone.
    [GeneratedRegex("(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")]
    private static partial Regex AwsSecretKey();
}
