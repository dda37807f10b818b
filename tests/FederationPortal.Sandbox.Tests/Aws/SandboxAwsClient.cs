using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using FederationPortal.TestSupport;

namespace FederationPortal.Sandbox.Tests.Aws;

/// <summary>A Query-protocol answer: status, XML, and the error code if any.</summary>
public sealed record QueryAnswer(HttpStatusCode Status, XDocument Document)
{
    public static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";

    public string? ErrorCode => Document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;

    public string? ErrorMessage => Document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;

    public string? Value(string localName) => Document.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;
}

/// <summary>Raw SigV4-signed Query calls against the sandbox (signed with AWSSDK.Core's public signer), and the AWS CLI v2.</summary>
public sealed class SandboxAwsClient(EmulatorHost host)
{
    public const string AdminKeyId = "AKIASANDBOXADMIN0001";
    public const string AdminSecret = "sandboxSecretKeyDoNotUseInProduction0001";
    public const string Account = "111122223333";
    public const string AwsCli = "/usr/bin/aws";

    public string IamUrl => host.BaseAddress + "/sandbox/aws/iam";

    public string StsUrl => host.BaseAddress + "/sandbox/aws/sts";

    public Task<QueryAnswer> IamAsync(string action, params (string Key, string Value)[] parameters)
        => CallAsync(IamUrl, "iam", "2010-05-08", new BasicAWSCredentials(AdminKeyId, AdminSecret), action, parameters);

    public Task<QueryAnswer> IamAsAsync(AWSCredentials credentials, string action, params (string Key, string Value)[] parameters)
        => CallAsync(IamUrl, "iam", "2010-05-08", credentials, action, parameters);

    public async Task<QueryAnswer> CallAsync(string url, string service, string version, AWSCredentials? credentials, string action, (string Key, string Value)[] parameters, DateTime? signedAt = null)
    {
        var body = string.Join('&', new[] { ("Action", action), ("Version", version) }.Concat(parameters)
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (credentials is not null)
        {
            handler = new SigV4SigningHandler(new AWSSigV4Parameters { Credentials = credentials, Region = RegionEndpoint.USEast1, Service = service, SignedAt = signedAt }, handler);
        }

        using var client = new HttpClient(handler);
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(url, content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new QueryAnswer(response.StatusCode, XDocument.Parse(text));
    }

    public static string TrustPolicy(string providerArn, string audience = "https://signin.aws.amazon.com/saml", string action = "sts:AssumeRoleWithSAML")
        => JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new
                {
                    Effect = "Allow",
                    Principal = new { Federated = providerArn },
                    Action = action,
                    Condition = new { StringEquals = new Dictionary<string, string> { ["SAML:aud"] = audience } },
                },
            },
        });

    /// <summary>Runs the AWS CLI v2 with only the given credentials (no config, no profile, no instance metadata).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(
        string endpointUrl, (string KeyId, string Secret, string? Token) credentials, params string[] arguments)
    {
        var start = new ProcessStartInfo(AwsCli) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AWS_ACCESS_KEY_ID"] = credentials.KeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.Secret;
        if (credentials.Token is not null)
        {
            start.Environment["AWS_SESSION_TOKEN"] = credentials.Token;
        }
        else
        {
            start.Environment.Remove("AWS_SESSION_TOKEN");
        }

        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = "";
        start.Environment.Remove("AWS_PROFILE");
        foreach (var argument in arguments.Concat(["--endpoint-url", endpointUrl, "--output", "json"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
