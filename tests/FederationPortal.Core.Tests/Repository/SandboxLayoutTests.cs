using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FederationPortal.Core.Tests.Repository;

/// <summary>
/// The emulator is laid out the way getmoto/moto lays out its services: one folder per emulated service holding its
/// routes and its backend, the wire protocols once in <c>Aws/Protocol</c>, namespaces that follow the folders, and a
/// plug-in the rest of the portal knows by its registration only.
/// </summary>
public sealed partial class SandboxLayoutTests
{
    /// <summary>A file past this is doing two services' work (the split of the 1,034-line IAM service left none above 430).</summary>
    private const int MaxLines = 450;

    private static string SandboxRoot => Path.Combine(RepositoryPaths.Root(), "src", "FederationPortal.Sandbox");

    [Theory]
    [InlineData("Aws/Iam", "IamEndpoints.cs", "SandboxIamService.cs")]
    [InlineData("Aws/Sts", "StsEndpoints.cs", "SandboxStsService.cs")]
    [InlineData("Aws/CloudTrail", "CloudTrailEndpoints.cs", "SandboxCloudTrailService.cs")]
    [InlineData("Entra/Graph", "GraphEndpoints.cs", "SandboxSynchronization.cs")]
    [InlineData("Entra/Login", "LoginEndpoints.cs", "SandboxTokenService.cs")]
    public void Each_emulated_service_is_one_folder_with_its_routes_and_its_backend(string folder, string routes, string backend)
    {
        var directory = Path.Combine(SandboxRoot, folder);
        Assert.True(File.Exists(Path.Combine(directory, routes)), $"{folder} has no {routes}");
        Assert.True(File.Exists(Path.Combine(directory, backend)), $"{folder} has no {backend}");
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "Aws/Protocol/AwsQueryProtocol.cs")]
    [InlineData("\"X-Amz-Target\"", "Aws/Protocol/AwsJsonProtocol.cs")]
    [InlineData("\"application/x-amz-json-1.1\"", "Aws/Protocol/AwsJsonProtocol.cs")]
    public void A_wire_protocol_is_parsed_in_one_place(string marker, string owner)
    {
        var users = SandboxFiles()
            .Where(file => File.ReadAllText(file).Contains(marker, StringComparison.Ordinal))
            .Select(Relative)
            .ToList();

        Assert.Equal([owner], users);
    }

    [Fact]
    public void Every_namespace_follows_its_folder()
    {
        var offenders = SandboxFiles()
            .Select(file => (file, expected: ExpectedNamespace(file), actual: Namespace().Match(File.ReadAllText(file)).Groups["name"].Value))
            .Where(f => f.expected != f.actual)
            .Select(f => $"{Relative(f.file)} declares '{f.actual}', its folder says '{f.expected}'")
            .ToList();

        Assert.True(offenders.Count == 0, string.Join("; ", offenders));
    }

    [Fact]
    public void No_file_is_longer_than_one_concern_needs()
    {
        var offenders = SandboxFiles()
            .Select(file => (file, lines: File.ReadLines(file).Count()))
            .Where(f => f.lines > MaxLines)
            .Select(f => $"{Relative(f.file)} ({f.lines} lines)")
            .ToList();

        Assert.True(offenders.Count == 0, $"Split along the service's resources (at most {MaxLines} lines): " + string.Join("; ", offenders));
    }

    [Fact]
    public void The_sandbox_references_core_alone()
    {
        var project = XDocument.Load(Path.Combine(SandboxRoot, "FederationPortal.Sandbox.csproj"));
        var references = project.Descendants("ProjectReference").Select(r => Path.GetFileName(((string)r.Attribute("Include")!).Replace('\\', '/'))).ToList();

        Assert.Equal(["FederationPortal.Core.csproj"], references);
    }

    [Theory]
    [InlineData("FederationPortal.Core")]
    [InlineData("FederationPortal.Data")]
    [InlineData("FederationPortal.Clouds")]
    [InlineData("FederationPortal.Web")]
    public void Outside_the_hosts_composition_nothing_names_the_sandbox(string project)
    {
        var root = Path.Combine(RepositoryPaths.Root(), "src", project);
        var offenders = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(file => Path.GetExtension(file) is ".cs" or ".razor" && !Relative(file).Split('/').Any(part => part is "obj" or "bin"))
            .Where(file => File.ReadAllText(file).Contains("FederationPortal.Sandbox", StringComparison.Ordinal))
            .Select(Relative)
            .Where(file => file != "src/FederationPortal.Web/Program.cs")
            .ToList();

        Assert.True(offenders.Count == 0, "Only Program.cs composes the sandbox (builder.AddSandbox(), app.MapSandbox()): " + string.Join("; ", offenders));
    }

    private static string ExpectedNamespace(string file)
    {
        var folder = Path.GetRelativePath(SandboxRoot, Path.GetDirectoryName(file)!).Replace('\\', '/');
        return folder == "." ? "FederationPortal.Sandbox" : "FederationPortal.Sandbox." + folder.Replace('/', '.');
    }

    private static List<string> SandboxFiles()
    {
        var files = Directory.EnumerateFiles(SandboxRoot, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Relative(file).Split('/').Any(part => part is "obj" or "bin"))
            .ToList();
        Assert.True(files.Count > 40, $"expected the emulator's sources, found {files.Count} files");
        return files;
    }

    private static string Relative(string file)
    {
        var path = Path.GetRelativePath(RepositoryPaths.Root(), file).Replace('\\', '/');
        var sandbox = "src/FederationPortal.Sandbox/";
        return path.StartsWith(sandbox, StringComparison.Ordinal) ? path[sandbox.Length..] : path;
    }

    [GeneratedRegex(@"^namespace (?<name>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();
}
