using System.Diagnostics;
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

    /// <summary>The files git tracks under <paramref name="root"/>, optionally limited to <paramref name="pathspecs"/>.</summary>
    public static List<string> TrackedFiles(string root, params string[] pathspecs)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("ls-files");
        if (pathspecs.Length > 0)
        {
            start.ArgumentList.Add("--");
            foreach (var pathspec in pathspecs)
            {
                start.ArgumentList.Add(pathspec);
            }
        }

        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, "git ls-files failed: " + git.StandardError.ReadToEnd());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
