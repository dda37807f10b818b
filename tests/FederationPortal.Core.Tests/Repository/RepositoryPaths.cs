using System.Runtime.CompilerServices;

namespace FederationPortal.Core.Tests.Repository;

/// <summary>Finds the repository from this source file, so that tests can read the tree as it is checked out.</summary>
internal static class RepositoryPaths
{
    public static string Root([CallerFilePath] string source = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(source)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FederationPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FederationPortal.sln not found above " + source);
    }
}
