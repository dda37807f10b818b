using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.TestSupport;
using FederationPortal.Tests.Saml;

namespace FederationPortal.Sandbox.Tests.Aws;

/// <summary>
/// The sandbox CloudTrail: STS AssumeRoleWithSAML and mutating IAM calls become CloudTrail records, read back with
/// <c>LookupEvents</c> on the JSON 1.1 protocol by the AWS CLI v2 and by SigV4-signed requests.
/// </summary>
public sealed class CloudTrailTests(StsSamlFixture fixture) : IClassFixture<StsSamlFixture>
{
    private const string Target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string CloudTrailUrl => fixture.Host.BaseAddress + "/sandbox/aws/cloudtrail";

    private static (string, string, string?) Admin => (SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret, null);

    [Fact]
    public async Task Cli_lookup_events_lists_a_successful_and_a_failed_AssumeRoleWithSAML_newest_first()
    {
        SkipWithoutCli();
        var spec = new TestSamlResponse { Roles = [$"{StsSamlFixture.RoleArn("EntraAdmins")},{fixture.ProviderArn}"], Now = DateTimeOffset.UtcNow, NameId = "cli-user@contoso.example", SessionName = "cli-user@contoso.example" };
        Assert.Equal(HttpStatusCode.OK, (await AssumeAsync(fixture.Idp.Response(spec), "EntraAdmins")).Status);
        var refused = await AssumeAsync(fixture.Idp.Response(spec with { Roles = [$"{StsSamlFixture.RoleArn("OtherProviderOnly")},{fixture.ProviderArn}"] }), "OtherProviderOnly");
        Assert.Equal("AccessDenied", refused.ErrorCode);

        var output = await CliAsync("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=Username,AttributeValue=cli-user@contoso.example");

        var events = output.GetProperty("Events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("AssumeRoleWithSAML", e.GetProperty("EventName").GetString()));
        Assert.All(events, e => Assert.Equal("sts.amazonaws.com", e.GetProperty("EventSource").GetString()));
        Assert.All(events, e => Assert.Equal("true", e.GetProperty("ReadOnly").GetString()));
        var (failed, succeeded) = (Record(events[0]), Record(events[1]));
        Assert.Equal("AccessDenied", failed["errorCode"]!.GetValue<string>());
        Assert.Equal("Not authorized to perform sts:AssumeRoleWithSAML", failed["errorMessage"]!.GetValue<string>());
        Assert.Null(succeeded["errorCode"]);

        var identity = succeeded["userIdentity"]!;
        Assert.Equal("SAMLUser", identity["type"]!.GetValue<string>());
        Assert.Equal("cli-user@contoso.example", identity["userName"]!.GetValue<string>());
        var qualifier = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(fixture.Idp.EntityId + SandboxAwsClient.Account + "/" + StsSamlFixture.ProviderName)));
        Assert.Equal($"{qualifier}:cli-user@contoso.example", identity["principalId"]!.GetValue<string>());
        Assert.Equal(qualifier, identity["identityProvider"]!.GetValue<string>());
        Assert.Equal(qualifier, failed["userIdentity"]!["principalId"]!.GetValue<string>().Split(':')[0]);
        Assert.Equal(StsSamlFixture.RoleArn("EntraAdmins"), succeeded["requestParameters"]!["roleArn"]!.GetValue<string>());
        Assert.StartsWith("_", succeeded["requestParameters"]!["sAMLAssertionID"]!.GetValue<string>());
        Assert.Matches("^ASIA[A-Z0-9]{16}$", succeeded["responseElements"]!["credentials"]!["accessKeyId"]!.GetValue<string>());
        Assert.Matches(@"^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$", succeeded["responseElements"]!["credentials"]!["expiration"]!.GetValue<string>());
        Assert.Equal(SandboxAwsClient.Account, succeeded["recipientAccountId"]!.GetValue<string>());
        Assert.Equal("AwsApiCall", succeeded["eventType"]!.GetValue<string>());
        Assert.Equal(events[1].GetProperty("EventId").GetString(), succeeded["eventID"]!.GetValue<string>());
        // The CLI prints the epoch-seconds EventTime as an ISO 8601 time.
        Assert.True(DateTimeOffset.Parse(events[0].GetProperty("EventTime").GetString()!, CultureInfo.InvariantCulture)
                    >= DateTimeOffset.Parse(events[1].GetProperty("EventTime").GetString()!, CultureInfo.InvariantCulture));
        Assert.Contains(events[1].GetProperty("Resources").EnumerateArray(), r =>
            r.GetProperty("ResourceType").GetString() == "AWS::IAM::Role" && r.GetProperty("ResourceName").GetString() == StsSamlFixture.RoleArn("EntraAdmins"));

        var byName = await CliAsync("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=AssumeRoleWithSAML");
        Assert.True(byName.GetProperty("Events").GetArrayLength() >= 2);
        Assert.All(byName.GetProperty("Events").EnumerateArray(), e => Assert.Equal("AssumeRoleWithSAML", e.GetProperty("EventName").GetString()));
    }

    [Fact]
    public async Task Cli_pages_with_page_size_and_max_items_and_filters_by_start_and_end_time()
    {
        SkipWithoutCli();
        const string User = "paging-user";
        Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsync("CreateUser", ("UserName", User))).Status);
        var first = (await LookupAsync(new JsonObject { ["LookupAttributes"] = Attribute("ResourceName", User) }))["Events"]!.AsArray().Single()!;
        var firstTime = first["EventTime"]!.GetValue<long>();
        await WaitUntilAsync(() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() > firstTime);
        foreach (var tag in new[] { "a", "b", "c", "d" })
        {
            Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsync("TagUser", ("UserName", User), ("Tags.member.1.Key", tag), ("Tags.member.1.Value", "v"))).Status);
        }

        var filter = new[] { "--lookup-attributes", $"AttributeKey=ResourceName,AttributeValue={User}" };
        var all = await CliAsync(["cloudtrail", "lookup-events", .. filter]);
        Assert.Equal(["TagUser", "TagUser", "TagUser", "TagUser", "CreateUser"], all.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventName").GetString()));
        Assert.Equal(["d", "c", "b", "a"], all.GetProperty("Events").EnumerateArray().Take(4)
            .Select(e => JsonNode.Parse(e.GetProperty("CloudTrailEvent").GetString()!)!["requestParameters"]!["tags"]![0]!["key"]!.GetValue<string>()));

        var page = await CliAsync(["cloudtrail", "lookup-events", .. filter, "--page-size", "2", "--max-items", "3"]);
        Assert.Equal(3, page.GetProperty("Events").GetArrayLength());
        var token = page.GetProperty("NextToken").GetString()!;
        var rest = await CliAsync(["cloudtrail", "lookup-events", .. filter, "--page-size", "2", "--starting-token", token]);
        Assert.Equal(
            all.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventId").GetString()),
            page.GetProperty("Events").EnumerateArray().Concat(rest.GetProperty("Events").EnumerateArray()).Select(e => e.GetProperty("EventId").GetString()));

        var after = await CliAsync(["cloudtrail", "lookup-events", .. filter, "--start-time", (firstTime + 1).ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(4, after.GetProperty("Events").GetArrayLength());
        Assert.All(after.GetProperty("Events").EnumerateArray(), e => Assert.Equal("TagUser", e.GetProperty("EventName").GetString()));
        var before = await CliAsync(["cloudtrail", "lookup-events", .. filter, "--end-time", firstTime.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal("CreateUser", Assert.Single(before.GetProperty("Events").EnumerateArray()).GetProperty("EventName").GetString());
    }

    [Fact]
    public async Task Signed_json_request_answers_events_and_bad_signature_unknown_key_and_unsigned_requests_are_refused()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsync("CreateRole", ("RoleName", "SdkSigned"), ("AssumeRolePolicyDocument", SandboxAwsClient.TrustPolicy(fixture.ProviderArn)))).Status);
        var (status, body) = await CallAsync(new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret), "LookupEvents",
            new JsonObject { ["LookupAttributes"] = Attribute("ResourceName", "SdkSigned"), ["MaxResults"] = 5 });
        Assert.Equal(HttpStatusCode.OK, status);
        var created = Assert.Single(body["Events"]!.AsArray())!;
        Assert.Equal("CreateRole", created["EventName"]!.GetValue<string>());
        Assert.Equal("root", created["Username"]!.GetValue<string>());
        Assert.Equal(SandboxAwsClient.AdminKeyId, created["AccessKeyId"]!.GetValue<string>());
        Assert.Equal("false", created["ReadOnly"]!.GetValue<string>());
        var record = JsonNode.Parse(created["CloudTrailEvent"]!.GetValue<string>())!;
        Assert.Equal("Root", record["userIdentity"]!["type"]!.GetValue<string>());
        Assert.Equal("iam.amazonaws.com", record["eventSource"]!.GetValue<string>());
        Assert.Equal("SdkSigned", record["requestParameters"]!["roleName"]!.GetValue<string>());
        Assert.Matches("^AROA", record["responseElements"]!["role"]!["roleId"]!.GetValue<string>());

        var badSecret = await CallAsync(new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, "x" + SandboxAwsClient.AdminSecret[1..]), "LookupEvents", []);
        AssertJsonError(badSecret, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided");
        var unknownKey = await CallAsync(new BasicAWSCredentials("AKIAUNKNOWNKEY000001", SandboxAwsClient.AdminSecret), "LookupEvents", []);
        AssertJsonError(unknownKey, "UnrecognizedClientException", "The security token included in the request is invalid.");
        var unsigned = await CallAsync(null, "LookupEvents", []);
        AssertJsonError(unsigned, "MissingAuthenticationTokenException", "");
    }

    [Fact]
    public async Task Json_target_is_accepted_as_smithy_names_it_and_as_the_cli_sends_it_and_other_services_are_refused()
    {
        var admin = new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret);
        var smithy = await CallAsync(admin, "CloudTrail_20131101.LookupEvents", new JsonObject { ["MaxResults"] = 1 });
        Assert.Equal(HttpStatusCode.OK, smithy.Status);
        Assert.NotNull(smithy.Body["Events"]);
        var cli = await CallAsync(admin, "LookupEvents", new JsonObject { ["MaxResults"] = 1 });
        Assert.Equal(HttpStatusCode.OK, cli.Status);

        AssertJsonError(await CallAsync(admin, "DynamoDB_20120810.LookupEvents", []), "UnknownOperationException", "");
        AssertJsonError(await CallAsync(admin, "com.amazonaws.other.CloudTrail_20131101.LookupEvents", []), "UnknownOperationException", "");
    }

    [Fact]
    public async Task An_iam_user_needs_cloudtrail_LookupEvents_in_an_identity_policy()
    {
        var denied = await UserKeyAsync("trail-denied", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}""");
        var refused = await CallAsync(denied, "LookupEvents", []);
        AssertJsonError(refused, "AccessDeniedException", "User: arn:aws:iam::111122223333:user/trail-denied is not authorized to perform: cloudtrail:LookupEvents");

        var allowed = await UserKeyAsync("trail-reader", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*"}]}""");
        var (status, body) = await CallAsync(allowed, "LookupEvents", new JsonObject { ["LookupAttributes"] = Attribute("Username", "root"), ["MaxResults"] = 1 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(body["Events"]!.AsArray());
        Assert.NotNull(body["NextToken"]);
    }

    [Fact]
    public async Task Denied_iam_calls_are_recorded_with_the_callers_identity_role_session_or_iam_user()
    {
        var spec = new TestSamlResponse { Roles = [$"{StsSamlFixture.RoleArn("EntraAdmins")},{fixture.ProviderArn}"], Now = DateTimeOffset.UtcNow, NameId = "session-user@contoso.example", SessionName = "session-user" };
        var assumed = await AssumeAsync(fixture.Idp.Response(spec), "EntraAdmins");
        var session = new SessionAWSCredentials(assumed.Value("AccessKeyId")!, assumed.Value("SecretAccessKey")!, assumed.Value("SessionToken")!);
        Assert.Equal("AccessDenied", (await fixture.Aws.IamAsAsync(session, "CreateUser", ("UserName", "by-session"))).ErrorCode);
        var user = await UserKeyAsync("trail-writer", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}""");
        Assert.Equal("AccessDenied", (await fixture.Aws.IamAsAsync(user, "CreateRole", ("RoleName", "by-user"), ("AssumeRolePolicyDocument", SandboxAwsClient.TrustPolicy(fixture.ProviderArn)))).ErrorCode);

        var bySession = Assert.Single((await LookupAsync(new JsonObject { ["LookupAttributes"] = Attribute("ResourceName", "by-session") }))["Events"]!.AsArray())!;
        Assert.Equal("session-user", bySession["Username"]!.GetValue<string>());
        Assert.Equal(assumed.Value("AccessKeyId"), bySession["AccessKeyId"]!.GetValue<string>());
        var sessionRecord = JsonNode.Parse(bySession["CloudTrailEvent"]!.GetValue<string>())!;
        Assert.Equal("AccessDenied", sessionRecord["errorCode"]!.GetValue<string>());
        Assert.StartsWith("User: arn:aws:sts::111122223333:assumed-role/EntraAdmins/session-user is not authorized to perform: iam:CreateUser", sessionRecord["errorMessage"]!.GetValue<string>());
        Assert.Equal("AssumedRole", sessionRecord["userIdentity"]!["type"]!.GetValue<string>());
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/EntraAdmins/session-user", sessionRecord["userIdentity"]!["arn"]!.GetValue<string>());
        Assert.Equal("EntraAdmins", sessionRecord["userIdentity"]!["sessionContext"]!["sessionIssuer"]!["userName"]!.GetValue<string>());
        Assert.Null(sessionRecord["responseElements"]);

        var byUser = Assert.Single((await LookupAsync(new JsonObject { ["LookupAttributes"] = Attribute("Username", "trail-writer") }))["Events"]!.AsArray())!;
        Assert.Equal("CreateRole", byUser["EventName"]!.GetValue<string>());
        var userRecord = JsonNode.Parse(byUser["CloudTrailEvent"]!.GetValue<string>())!;
        Assert.Equal("IAMUser", userRecord["userIdentity"]!["type"]!.GetValue<string>());
        Assert.Equal("trail-writer", userRecord["userIdentity"]!["userName"]!.GetValue<string>());
        Assert.Equal(user.GetCredentials().AccessKey, userRecord["userIdentity"]!["accessKeyId"]!.GetValue<string>());
        Assert.Matches("^AIDA", userRecord["userIdentity"]!["principalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Records_hold_neither_secret_keys_session_tokens_nor_saml_assertions()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsync("CreateUser", ("UserName", "secret-holder"))).Status);
        var key = await fixture.Aws.IamAsync("CreateAccessKey", ("UserName", "secret-holder"));
        var secret = key.Value("SecretAccessKey")!;
        var assertion = fixture.Idp.Response(new TestSamlResponse { Roles = [$"{StsSamlFixture.RoleArn("EntraAdmins")},{fixture.ProviderArn}"], Now = DateTimeOffset.UtcNow });
        var assumed = await AssumeAsync(assertion, "EntraAdmins");
        var sessionSecret = assumed.Value("SecretAccessKey")!;
        var sessionToken = assumed.Value("SessionToken")!;
        await AssumeAsync(assertion, "WrongAudience");

        var everything = new StringBuilder();
        string? nextToken = null;
        do
        {
            var request = new JsonObject { ["MaxResults"] = 50 };
            if (nextToken is not null)
            {
                request["NextToken"] = nextToken;
            }

            var (status, body) = await CallAsync(new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret), "LookupEvents", request);
            Assert.Equal(HttpStatusCode.OK, status);
            everything.Append(body.ToJsonString());
            nextToken = body["NextToken"]?.GetValue<string>();
        }
        while (nextToken is not null);

        var text = everything.ToString();
        Assert.Contains("CreateAccessKey", text);
        Assert.Contains(key.Value("AccessKeyId")!, text);
        Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain(JsonSerializer.Serialize(secret)[1..^1], text);
        Assert.DoesNotContain(sessionSecret, text);
        Assert.DoesNotContain(JsonSerializer.Serialize(sessionSecret)[1..^1], text);
        Assert.DoesNotContain(sessionToken[..60], text);
        Assert.DoesNotContain(assertion[..60], text);
        Assert.DoesNotContain("secretAccessKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sessionToken", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sAMLAssertion\"", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Invalid_lookups_answer_cloudtrail_errors()
    {
        var admin = new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret);
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject
        {
            ["LookupAttributes"] = new JsonArray(
                new JsonObject { ["AttributeKey"] = "EventName", ["AttributeValue"] = "CreateRole" },
                new JsonObject { ["AttributeKey"] = "Username", ["AttributeValue"] = "root" }),
        }), "InvalidLookupAttributesException", "");
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject { ["LookupAttributes"] = Attribute("Color", "blue") }), "InvalidLookupAttributesException", "");
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject { ["MaxResults"] = 51 }), "InvalidMaxResultsException", "");
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject { ["MaxResults"] = 0 }), "InvalidMaxResultsException", "");
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject { ["StartTime"] = 1_800_000_000, ["EndTime"] = 1_700_000_000 }), "InvalidTimeRangeException", "");
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject { ["NextToken"] = "not-a-token" }), "InvalidNextTokenException", "");
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject { ["EventCategory"] = "data" }), "InvalidEventCategoryException", "");
        AssertJsonError(await CallAsync(admin, "DescribeTrails", []), "UnsupportedOperationException", "");

        // A token is bound to the query that issued it.
        var (_, page) = await CallAsync(admin, "LookupEvents", new JsonObject { ["MaxResults"] = 1 });
        var token = page["NextToken"]!.GetValue<string>();
        AssertJsonError(await CallAsync(admin, "LookupEvents", new JsonObject { ["NextToken"] = token, ["LookupAttributes"] = Attribute("Username", "root") }), "InvalidNextTokenException", "");
    }

    [Fact]
    public async Task Events_survive_a_restart_and_the_sandbox_info_names_the_endpoint()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fp-tests", "trail-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = new EmulatorHost(dataDirectory: directory))
            {
                Assert.Equal(HttpStatusCode.OK, (await new SandboxAwsClient(first).IamAsync("CreateUser", ("UserName", "kept-in-trail"))).Status);
            }

            await using var second = new EmulatorHost(dataDirectory: directory);
            using var client = second.CreateRealClient();
            var info = JsonNode.Parse(await client.GetStringAsync("sandbox/info", Ct))!;
            var url = info["endpoints"]!["cloudTrail"]!.GetValue<string>();
            Assert.Equal(second.BaseAddress + "/sandbox/aws/cloudtrail", url);
            var (status, body) = await CallAsync(url, new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret), "LookupEvents",
                new JsonObject { ["LookupAttributes"] = Attribute("EventName", "CreateUser") });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("kept-in-trail", JsonNode.Parse(Assert.Single(body["Events"]!.AsArray())!["CloudTrailEvent"]!.GetValue<string>())!["requestParameters"]!["userName"]!.GetValue<string>());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void SkipWithoutCli()
    {
        if (!File.Exists(SandboxAwsClient.AwsCli))
        {
            Assert.Skip("The AWS CLI v2 (/usr/bin/aws, Debian package awscli) is not installed; scripts/test.sh installs it.");
        }
    }

    private async Task<JsonElement> CliAsync(params string[] arguments)
    {
        var (exit, stdout, stderr) = await SandboxAwsClient.RunCliAsync(CloudTrailUrl, Admin, [.. arguments, "--region", "us-east-1"]);
        Assert.True(exit == 0, $"aws {string.Join(' ', arguments)} failed ({exit}): {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static JsonNode Record(JsonElement lookupEvent) => JsonNode.Parse(lookupEvent.GetProperty("CloudTrailEvent").GetString()!)!;

    private static JsonArray Attribute(string key, string value) => new(new JsonObject { ["AttributeKey"] = key, ["AttributeValue"] = value });

    private Task<QueryAnswer> AssumeAsync(string assertion, string role)
        => fixture.Aws.CallAsync(fixture.Aws.StsUrl, "sts", "2011-06-15", credentials: null, "AssumeRoleWithSAML",
            [("RoleArn", StsSamlFixture.RoleArn(role)), ("PrincipalArn", fixture.ProviderArn), ("SAMLAssertion", assertion)]);

    private async Task<BasicAWSCredentials> UserKeyAsync(string userName, string policy)
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsync("CreateUser", ("UserName", userName))).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Aws.IamAsync("PutUserPolicy", ("UserName", userName), ("PolicyName", "p"), ("PolicyDocument", policy))).Status);
        var key = await fixture.Aws.IamAsync("CreateAccessKey", ("UserName", userName));
        return new BasicAWSCredentials(key.Value("AccessKeyId")!, key.Value("SecretAccessKey")!);
    }

    private async Task<JsonObject> LookupAsync(JsonObject request)
    {
        var (status, body) = await CallAsync(new BasicAWSCredentials(SandboxAwsClient.AdminKeyId, SandboxAwsClient.AdminSecret), "LookupEvents", request);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private Task<(HttpStatusCode Status, JsonObject Body)> CallAsync(AWSCredentials? credentials, string operation, JsonObject request)
        => CallAsync(CloudTrailUrl, credentials, operation, request);

    /// <summary>A JSON 1.1 call signed with AWSSDK.Core's SigV4 signer, as the portal's connector signs them.</summary>
    private static async Task<(HttpStatusCode Status, JsonObject Body)> CallAsync(string url, AWSCredentials? credentials, string operation, JsonObject request)
    {
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (credentials is not null)
        {
            handler = new SigV4SigningHandler(new AWSSigV4Parameters { Credentials = credentials, Region = RegionEndpoint.USEast1, Service = "cloudtrail" }, handler);
        }

        using var client = new HttpClient(handler);
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8),
        };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        // An operation name alone gets the CLI's namespaced target; a dotted one is sent as it is.
        message.Headers.Add("X-Amz-Target", operation.Contains('.', StringComparison.Ordinal) ? operation : Target + operation);
        using var response = await client.SendAsync(message, Ct);
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private static void AssertJsonError((HttpStatusCode Status, JsonObject Body) answer, string type, string messageStart)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.True(answer.Body["__type"]?.GetValue<string>() == type, answer.Body.ToJsonString());
        Assert.StartsWith(messageStart, answer.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
