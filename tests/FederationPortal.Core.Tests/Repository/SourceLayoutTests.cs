using System.Text.RegularExpressions;

namespace FederationPortal.Core.Tests.Repository;

/// <summary>
/// One public type per file, the file named after it: a class, interface or struct always has a file of its own;
/// small related records and enums may share a file with the type they serve, or a models file of records alone.
/// (The Sandbox's layout has its own test.)
/// </summary>
public sealed partial class SourceLayoutTests
{
    private static readonly string[] Projects = ["FederationPortal.Core", "FederationPortal.Data", "FederationPortal.Clouds", "FederationPortal.Web"];

    [Fact]
    public void Every_public_class_interface_and_struct_lives_in_a_file_named_after_it()
    {
        var offenders = SourceFiles()
            .SelectMany(file => PublicTypes(File.ReadAllText(file))
                .Where(t => t.Kind is "class" or "interface" or "struct" && t.Name != TypeNameOf(file))
                .Select(t => $"{Relative(file)}: {t.Kind} {t.Name}"))
            .ToList();

        Assert.True(offenders.Count == 0, "Move each into <Name>.cs: " + string.Join("; ", offenders));
    }

    [Fact]
    public void A_file_named_after_no_type_holds_only_records_and_enums()
    {
        var offenders = SourceFiles()
            .Select(file => (file, types: PublicTypes(File.ReadAllText(file))))
            .Where(f => f.types.Count > 0 && f.types.All(t => t.Name != TypeNameOf(f.file)) && f.types.Any(t => t.Kind is not ("record" or "enum")))
            .Select(f => Relative(f.file))
            .ToList();

        Assert.True(offenders.Count == 0, "Name the file after its type: " + string.Join("; ", offenders));
    }

    [Theory]
    [InlineData("public sealed class A\n{\n}\npublic sealed record B(int X);\n", "class A,record B")]
    [InlineData("public static partial class Names\n{\n}\n", "class Names")]
    [InlineData("public interface IThing\n{\n}\npublic enum Kind\n{\n    One,\n}\n", "interface IThing,enum Kind")]
    [InlineData("internal sealed class Hidden;\n    public int Member { get; }\n", "")]
    public void Top_level_public_types_are_recognised(string source, string expected)
        => Assert.Equal(expected, string.Join(",", PublicTypes(source).Select(t => $"{t.Kind} {t.Name}")));

    private static List<(string Kind, string Name)> PublicTypes(string source)
        => Declaration().Matches(source).Select(m => (m.Groups["kind"].Value == "record struct" ? "struct" : m.Groups["kind"].Value, m.Groups["name"].Value)).ToList();

    /// <summary><c>AlertsPanel.razor.cs</c> is named after <c>AlertsPanel</c>.</summary>
    private static string TypeNameOf(string file) => Path.GetFileName(file).Split('.')[0];

    private static IEnumerable<string> SourceFiles()
    {
        var root = RepositoryPaths.Root();
        var files = Projects
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !Relative(file).Split('/').Any(part => part is "obj" or "bin" or "Migrations"))
            .ToList();
        Assert.True(files.Count > 100, $"expected the portal's sources, found {files.Count} files");
        return files;
    }

    private static string Relative(string file) => Path.GetRelativePath(RepositoryPaths.Root(), file).Replace('\\', '/');

    // Top level only: declarations start at the beginning of a line (members are indented).
    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|partial|readonly)\s+)*(?<kind>record struct|class|record|interface|enum|struct)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex Declaration();
}
