using System.Text.Json;

namespace FederationPortal.Core.Monitoring;

/// <summary>
/// Reads an <c>AssumeRoleWithSAML</c> record of CloudTrail. In the full record (<c>CloudTrailEvent</c>),
/// <c>userIdentity.userName</c> is the SAML NameID (for Entra's AWS app, the user's UPN), <c>requestParameters</c>
/// carries <c>roleArn</c>, <c>principalArn</c> (the SAML provider) and <c>roleSessionName</c>,
/// <c>responseElements.assumedRoleUser.arn</c> the session, and a refused call <c>errorCode</c>/<c>errorMessage</c>.
/// The credentials in <c>responseElements</c> are never read.
/// </summary>
public static class CloudTrailSamlEvents
{
    public const string EventName = "AssumeRoleWithSAML";

    /// <summary>The sign-in of <paramref name="record"/>; null when it is not an <c>AssumeRoleWithSAML</c> record or its JSON is unreadable.</summary>
    public static AwsSamlSignInEvent? Parse(CloudTrailEventRecord record)
    {
        if (!string.Equals(record.EventName, EventName, StringComparison.Ordinal))
        {
            return null;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(record.CloudTrailEventJson) ? "{}" : record.CloudTrailEventJson);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var request = Child(root, "requestParameters");
        var response = Child(root, "responseElements");
        var user = String(Child(root, "userIdentity"), "userName")
                   ?? String(response, "subject")
                   ?? String(request, "roleSessionName")
                   ?? record.Username;
        return new AwsSamlSignInEvent(
            record.EventId,
            record.EventTime,
            user,
            String(request, "roleArn"),
            String(request, "principalArn"),
            String(Child(response, "assumedRoleUser"), "arn"),
            String(root, "errorCode"),
            String(root, "errorMessage"),
            String(root, "sourceIPAddress"),
            String(root, "requestID"));
    }

    /// <summary>The role's name from its ARN (<c>arn:aws:iam::111122223333:role/path/Name</c> → <c>Name</c>).</summary>
    public static string? RoleName(string? roleArn)
        => string.IsNullOrEmpty(roleArn) ? null : roleArn[(roleArn.LastIndexOf('/') + 1)..];

    private static JsonElement Child(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? String(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() is { Length: > 0 } text ? text : null
            : null;
}
