using System.Diagnostics;
using System.Text.Json;

namespace FederationPortal.Emulator.Tests;

/// <summary>The AWS CLI v2, pointed at the standalone emulator with the keys <c>/sandbox/info</c> publishes, as the README shows.</summary>
public sealed class AwsCliTests(EmulatorProcess emulator) : IClassFixture<EmulatorProcess>
{
    private const string AwsCli = "/usr/bin/aws"; // Debian's awscli is v2; an older v1 may come first on PATH

    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    [Fact]
    public async Task Iam_sts_and_cloudtrail_round_trip_through_the_cli()
    {
        if (!File.Exists(AwsCli))
        {
            Assert.Skip($"{AwsCli} (Debian package awscli, v2) is not installed; scripts/test.sh installs it.");
        }

        var version = await RunAsync("--version");
        Assert.StartsWith("aws-cli/2.", version.Stdout.Trim());

        var created = await OkAsync("iam", "iam", "create-role", "--role-name", "EmulatorCli", "--assume-role-policy-document", Trust,
            "--tags", "Key=owner,Value=cli");
        Assert.Equal("arn:aws:iam::111122223333:role/EmulatorCli", created.GetProperty("Role").GetProperty("Arn").GetString());

        var role = await OkAsync("iam", "iam", "get-role", "--role-name", "EmulatorCli");
        Assert.Equal("ec2.amazonaws.com", role.GetProperty("Role").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0]
            .GetProperty("Principal").GetProperty("Service").GetString());
        var roles = await OkAsync("iam", "iam", "list-roles");
        Assert.Contains(roles.GetProperty("Roles").EnumerateArray(), r => r.GetProperty("RoleName").GetString() == "EmulatorCli");

        var duplicate = await RunAsync("iam", "create-role", "--role-name", "EmulatorCli", "--assume-role-policy-document", Trust);
        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("EntityAlreadyExists", duplicate.Stderr);

        var caller = await OkAsync("sts", "sts", "get-caller-identity");
        Assert.Equal("111122223333", caller.GetProperty("Account").GetString());

        var events = await OkAsync("cloudtrail", "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=CreateRole");
        Assert.Contains(events.GetProperty("Events").EnumerateArray(), e => e.GetProperty("Resources").EnumerateArray()
            .Any(r => r.GetProperty("ResourceName").GetString()!.Contains("EmulatorCli", StringComparison.Ordinal)));

        await OkAsync("iam", "iam", "delete-role", "--role-name", "EmulatorCli");
        var gone = await RunAsync("iam", "get-role", "--role-name", "EmulatorCli");
        Assert.Contains("NoSuchEntity", gone.Stderr);
    }

    private async Task<JsonElement> OkAsync(string service, params string[] arguments)
    {
        var endpoint = emulator.Info.GetProperty("endpoints").GetProperty(service == "cloudtrail" ? "cloudTrail" : service).GetString()!;
        var (exit, stdout, stderr) = await RunAsync([.. arguments, "--endpoint-url", endpoint]);
        Assert.True(exit == 0, $"aws {string.Join(' ', arguments)} failed ({exit}): {stderr}");
        return stdout.Trim().Length == 0 ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var withEndpoint = arguments.Contains("--endpoint-url") || arguments is ["--version"]
            ? arguments
            : [.. arguments, "--endpoint-url", emulator.Info.GetProperty("endpoints").GetProperty(arguments[0]).GetString()!];
        return RunCliAsync(withEndpoint);
    }

    /// <summary>The CLI with only the emulator's admin key: no config file, no profile, no instance metadata.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(string[] arguments)
    {
        var admin = emulator.Info.GetProperty("awsAdmin");
        var start = new ProcessStartInfo(AwsCli) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AWS_ACCESS_KEY_ID"] = admin.GetProperty("accessKeyId").GetString();
        start.Environment["AWS_SECRET_ACCESS_KEY"] = admin.GetProperty("secretAccessKey").GetString();
        start.Environment["AWS_DEFAULT_REGION"] = admin.GetProperty("region").GetString();
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = "";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        foreach (var argument in arguments.Concat(arguments is ["--version"] ? [] : ["--output", "json"]))
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
