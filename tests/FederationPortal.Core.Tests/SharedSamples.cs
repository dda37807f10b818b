using System.Runtime.CompilerServices;

namespace FederationPortal.Core.Tests;

/// <summary>The real-world samples in <c>../shared/samples</c> next to the repository, read in place (absent on a user's fresh clone).</summary>
internal static class SharedSamples
{
    public static string Path(string name, [CallerFilePath] string source = "")
    {
        var directory = new DirectoryInfo(System.IO.Path.GetDirectoryName(source)!);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "FederationPortal.sln")))
        {
            directory = directory.Parent;
        }

        return System.IO.Path.Combine(directory?.FullName ?? ".", "..", "shared", "samples", name);
    }
}
