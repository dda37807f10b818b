using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using FederationPortal.Sandbox.Aws.Protocol;
using FederationPortal.Sandbox.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Aws.CloudTrail;

/// <summary>
/// The emulated account's CloudTrail: turns each STS <c>AssumeRoleWithSAML</c> and each mutating IAM call (success or
/// failure) into a CloudTrail record, as AWS writes them, and appends it to the sandbox store. Secrets never reach
/// a record: no SAML assertion (only its ID), no secret access key, no session token, passwords hidden.
/// </summary>
internal sealed class CloudTrailRecorder(SandboxDocumentStore store, IOptions<SandboxOptions> options, TimeProvider timeProvider)
{
    public const string Stream = "aws.cloudtrail";

    /// <summary>The newest events kept; CloudTrail's event history also keeps 90 days only.</summary>
    public const int MaxEvents = 50_000;

    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "SAMLAssertion", "SecretAccessKey", "SessionToken", "Password", "OldPassword", "NewPassword", "PrivateKey",
    };

    private static readonly HashSet<string> SecretResponseElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "SecretAccessKey", "SessionToken", "Password", "PrivateKey",
    };

    private static readonly HashSet<string> NumericElements = new(StringComparer.Ordinal)
    {
        "DurationSeconds", "MaxSessionDuration", "PackedPolicySize", "AttachmentCount", "PermissionsBoundaryUsageCount",
    };

    private string Account => options.Value.AccountId;

    /// <summary>Read-only IAM calls (Get…, List…, Simulate…) are not recorded: the sandbox keeps management write events.</summary>
    public static bool IsMutating(string iamAction)
        => !iamAction.StartsWith("Get", StringComparison.Ordinal) && !iamAction.StartsWith("List", StringComparison.Ordinal)
           && !iamAction.StartsWith("Simulate", StringComparison.Ordinal);

    /// <summary>One IAM call by an authenticated caller.</summary>
    public void RecordIam(HttpContext context, AwsQueryRequest request, AwsCaller caller, string requestId, IReadOnlyList<object?>? result, AwsQueryError? error)
    {
        if (!IsMutating(request.Action))
        {
            return;
        }

        var response = ResponseElements(result);
        var resources = IamResources(request, response);
        var identity = Identity(caller);
        Append(context, "iam.amazonaws.com", request, requestId, identity, Username(caller), caller.AccessKeyId,
            RequestParameters(request), response, error, readOnly: false, resources, recordResources: null);
    }

    /// <summary>One <c>AssumeRoleWithSAML</c> call (unsigned: the identity is the SAML subject).</summary>
    public void RecordAssumeRoleWithSaml(HttpContext context, AwsQueryRequest request, string requestId, IReadOnlyList<object?>? result, AwsQueryError? error)
    {
        var assertion = ReadAssertion(request.Optional("SAMLAssertion"));
        var parameters = RequestParameters(request);
        if (assertion.AssertionId is { } assertionId)
        {
            parameters["sAMLAssertionID"] = assertionId;
        }

        if (assertion.RoleSessionName is { } sessionName)
        {
            parameters["roleSessionName"] = sessionName;
        }

        var response = ResponseElements(result);
        var principalArn = request.Optional("PrincipalArn");
        var providerName = principalArn?[(principalArn.LastIndexOf('/') + 1)..];
        var nameQualifier = response?["nameQualifier"]?.GetValue<string>()
                            ?? (assertion.Issuer is null || providerName is null ? null : NameQualifier(assertion.Issuer, Account, providerName));
        var subject = response?["subject"]?.GetValue<string>() ?? assertion.NameId;
        var identity = new JsonObject
        {
            ["type"] = "SAMLUser",
            ["principalId"] = subject is null ? nameQualifier : $"{nameQualifier}:{subject}",
            ["userName"] = subject,
            ["identityProvider"] = nameQualifier,
        };

        var roleArn = request.Optional("RoleArn");
        var resources = new List<(string Type, string Name)>();
        var recordResources = new JsonArray();
        if (response?["credentials"]?["accessKeyId"]?.GetValue<string>() is { } issuedKey)
        {
            resources.Add(("AWS::IAM::AccessKey", issuedKey));
        }

        if (response?["assumedRoleUser"]?["arn"]?.GetValue<string>() is { } sessionArn)
        {
            resources.Add(("AWS::STS::AssumedRole", sessionArn[(sessionArn.IndexOf('/') + 1)..]));
        }

        if (roleArn is not null)
        {
            resources.Add(("AWS::IAM::Role", roleArn));
            recordResources.Add(new JsonObject { ["ARN"] = roleArn, ["accountId"] = Account, ["type"] = "AWS::IAM::Role" });
        }

        if (principalArn is not null)
        {
            resources.Add(("AWS::IAM::SAMLProvider", principalArn));
            recordResources.Add(new JsonObject { ["ARN"] = principalArn, ["accountId"] = Account, ["type"] = "AWS::IAM::SAMLProvider" });
        }

        Append(context, "sts.amazonaws.com", request, requestId, identity, subject, accessKeyId: null,
            parameters, response, error, readOnly: true, resources, recordResources);
    }

    /// <summary>As STS computes it: base64(SHA1(issuer + account id + "/" + provider name)).</summary>
    public static string NameQualifier(string issuer, string account, string providerName)
        => Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(issuer + account + "/" + providerName)));

    private void Append(
        HttpContext context, string eventSource, AwsQueryRequest request, string requestId, JsonObject identity, string? username, string? accessKeyId,
        JsonObject parameters, JsonObject? response, AwsQueryError? error, bool readOnly, List<(string Type, string Name)> resources, JsonArray? recordResources)
    {
        var now = timeProvider.GetUtcNow();
        var eventTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var eventId = Guid.NewGuid().ToString();
        var record = new JsonObject
        {
            ["eventVersion"] = "1.08",
            ["userIdentity"] = identity,
            ["eventTime"] = eventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["eventSource"] = eventSource,
            ["eventName"] = request.Action,
            ["awsRegion"] = "us-east-1",
            ["sourceIPAddress"] = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            ["userAgent"] = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
        };
        if (error is not null)
        {
            record["errorCode"] = ErrorCode(error.Code);
            record["errorMessage"] = error.Message;
        }

        record["requestParameters"] = parameters.Count == 0 ? null : parameters;
        record["responseElements"] = error is null ? response : null;
        record["requestID"] = requestId;
        record["eventID"] = eventId;
        record["readOnly"] = readOnly;
        if (recordResources is { Count: > 0 })
        {
            record["resources"] = recordResources;
        }

        record["eventType"] = "AwsApiCall";
        record["managementEvent"] = true;
        record["recipientAccountId"] = Account;
        record["eventCategory"] = "Management";

        var stored = new StoredCloudTrailEvent(
            eventId, request.Action, eventSource, eventTime.ToUnixTimeSeconds(), username, accessKeyId, readOnly,
            [.. resources.Select(r => new StoredCloudTrailResource(r.Type, r.Name))], record.ToJsonString());
        store.AppendEvent(Stream, eventTime, JsonSerializer.Serialize(stored, StoredCloudTrailEvent.Json), MaxEvents, now - Retention);
    }

    private JsonObject Identity(AwsCaller caller) => caller.Kind switch
    {
        AwsCallerKind.Administrator => new JsonObject
        {
            ["type"] = "Root",
            ["principalId"] = Account,
            ["arn"] = caller.Arn,
            ["accountId"] = Account,
            ["accessKeyId"] = caller.AccessKeyId,
        },
        AwsCallerKind.User => new JsonObject
        {
            ["type"] = "IAMUser",
            ["principalId"] = caller.UserId,
            ["arn"] = caller.Arn,
            ["accountId"] = Account,
            ["accessKeyId"] = caller.AccessKeyId,
            ["userName"] = caller.UserName,
        },
        _ => new JsonObject
        {
            ["type"] = "AssumedRole",
            ["principalId"] = caller.UserId,
            ["arn"] = caller.Arn,
            ["accountId"] = Account,
            ["accessKeyId"] = caller.AccessKeyId,
            ["sessionContext"] = new JsonObject
            {
                ["sessionIssuer"] = new JsonObject
                {
                    ["type"] = "Role",
                    ["principalId"] = caller.UserId.Split(':')[0],
                    ["arn"] = $"arn:aws:iam::{Account}:role/{caller.RoleName}",
                    ["accountId"] = Account,
                    ["userName"] = caller.RoleName,
                },
            },
        },
    };

    /// <summary>What <c>LookupEvents</c> reports as the user name: the IAM user, "root", or the role session name.</summary>
    private static string? Username(AwsCaller caller) => caller.Kind switch
    {
        AwsCallerKind.Administrator => "root",
        AwsCallerKind.User => caller.UserName,
        _ => caller.Arn[(caller.Arn.LastIndexOf('/') + 1)..],
    };

    /// <summary>Query error codes as CloudTrail names them (<c>NoSuchEntity</c> → <c>NoSuchEntityException</c>).</summary>
    private static string ErrorCode(string code) => code switch
    {
        "AccessDenied" or "Throttling" => code,
        "ValidationError" => "ValidationException",
        _ when code.EndsWith("Exception", StringComparison.Ordinal) => code,
        _ => code + "Exception",
    };

    private List<(string Type, string Name)> IamResources(AwsQueryRequest request, JsonObject? response)
    {
        var resources = new List<(string Type, string Name)>();
        void Add(string type, string? name)
        {
            if (!string.IsNullOrEmpty(name) && !resources.Contains((type, name)))
            {
                resources.Add((type, name));
            }
        }

        Add("AWS::IAM::Role", request.Optional("RoleName"));
        Add("AWS::IAM::User", request.Optional("UserName"));
        Add("AWS::IAM::Policy", request.Optional("PolicyArn") ?? response?["policy"]?["arn"]?.GetValue<string>());
        Add("AWS::IAM::SAMLProvider", request.Optional("SAMLProviderArn") ?? response?["sAMLProviderArn"]?.GetValue<string>());
        Add("AWS::IAM::AccessKey", request.Optional("AccessKeyId") ?? response?["accessKey"]?["accessKeyId"]?.GetValue<string>());
        return resources;
    }

    /// <summary>The call's parameters as CloudTrail writes them: camelCase names, Query lists as arrays, secrets hidden.</summary>
    private static JsonObject RequestParameters(AwsQueryRequest request)
    {
        var root = new JsonObject();
        foreach (var (key, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key is "Action" or "Version")
            {
                continue;
            }

            var segments = key.Split('.');
            if (SecretParameters.Contains(segments[^1]))
            {
                if (!segments[^1].Equals("SAMLAssertion", StringComparison.OrdinalIgnoreCase))
                {
                    Set(root, segments, Hidden);
                }

                continue;
            }

            Set(root, segments, NumericElements.Contains(segments[^1]) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : JsonValue.Create(value));
        }

        return root;
    }

    /// <summary>Places a Query parameter (<c>Tags.member.2.Key</c>) in the JSON tree (<c>tags[1].key</c>).</summary>
    private static void Set(JsonObject root, string[] segments, JsonNode? value)
    {
        JsonNode current = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (current is JsonObject obj)
            {
                var name = Camel(segments[i]);
                if (!last && segments[i + 1] == "member")
                {
                    obj[name] ??= new JsonArray();
                    current = obj[name]!;
                    i++; // skip "member"
                    continue;
                }

                if (last)
                {
                    obj[name] = value;
                    return;
                }

                obj[name] ??= new JsonObject();
                current = obj[name]!;
            }
            else if (current is JsonArray array && int.TryParse(segments[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1)
            {
                while (array.Count < index)
                {
                    array.Add(null);
                }

                if (last)
                {
                    array[index - 1] = value;
                    return;
                }

                array[index - 1] ??= new JsonObject();
                current = array[index - 1]!;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>The result elements as CloudTrail writes them: camelCase, dates in its "MMM d, yyyy h:mm:ss AM" form, no secret.</summary>
    private static JsonObject? ResponseElements(IReadOnlyList<object?>? result)
    {
        var elements = result?.OfType<XElement>().ToList();
        if (elements is null || elements.Count == 0)
        {
            return null;
        }

        var json = new JsonObject();
        foreach (var element in elements)
        {
            if (!SecretResponseElements.Contains(element.Name.LocalName))
            {
                json[Camel(element.Name.LocalName)] = ToJsonNode(element);
            }
        }

        return json;
    }

    private static JsonNode? ToJsonNode(XElement element)
    {
        var children = element.Elements().ToList();
        if (children.Count == 0)
        {
            var text = element.Value;
            var name = element.Name.LocalName;
            if (NumericElements.Contains(name) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            if (text is "true" or "false")
            {
                return JsonValue.Create(text == "true");
            }

            if ((name.EndsWith("Date", StringComparison.Ordinal) || name is "Expiration" or "ValidUntil")
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return JsonValue.Create(date.UtcDateTime.ToString("MMM d, yyyy h:mm:ss tt", CultureInfo.InvariantCulture));
            }

            return JsonValue.Create(text);
        }

        if (children.All(c => c.Name.LocalName == "member"))
        {
            return new JsonArray([.. children.Select(ToJsonNode)]);
        }

        var json = new JsonObject();
        foreach (var child in children.Where(c => !SecretResponseElements.Contains(c.Name.LocalName)))
        {
            json[Camel(child.Name.LocalName)] = ToJsonNode(child);
        }

        return json;
    }

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The assertion's ID, issuer, NameID and session name, read without validation (a refused assertion is recorded too).</summary>
    private static (string? AssertionId, string? Issuer, string? NameId, string? RoleSessionName) ReadAssertion(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return default;
        }

        try
        {
            var document = new XmlDocument { XmlResolver = null };
            using var reader = XmlReader.Create(new MemoryStream(Convert.FromBase64String(encoded)), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document.Load(reader);
            const string Saml = "urn:oasis:names:tc:SAML:2.0:assertion";
            var assertion = document.GetElementsByTagName("Assertion", Saml).OfType<XmlElement>().FirstOrDefault();
            var issuer = (assertion?.GetElementsByTagName("Issuer", Saml) ?? document.GetElementsByTagName("Issuer", Saml)).OfType<XmlElement>().FirstOrDefault()?.InnerText.Trim();
            var nameId = document.GetElementsByTagName("NameID", Saml).OfType<XmlElement>().FirstOrDefault()?.InnerText.Trim();
            var sessionName = document.GetElementsByTagName("Attribute", Saml).OfType<XmlElement>()
                .FirstOrDefault(a => a.GetAttribute("Name") == "https://aws.amazon.com/SAML/Attributes/RoleSessionName")?
                .GetElementsByTagName("AttributeValue", Saml).OfType<XmlElement>().FirstOrDefault()?.InnerText.Trim();
            return (assertion?.GetAttribute("ID") is { Length: > 0 } id ? id : null, issuer, nameId, sessionName);
        }
        catch (Exception e) when (e is FormatException or XmlException)
        {
            return default;
        }
    }
}

