using System.Text.RegularExpressions;

namespace FederationPortal.Core.Tests.Repository;

/// <summary>Runtime data (SQLite databases, the Data Protection key ring, data folders) never belongs in git.</summary>
public sealed partial class RepositoryHygieneTests
{
    [Fact]
    public void No_database_key_ring_or_data_folder_is_tracked_in_git()
    {
        var root = RepositoryPaths.Root();
        var tracked = RepositoryPaths.TrackedFiles(root);
        Assert.NotEmpty(tracked);

        var offenders = tracked.Where(IsRuntimeData).ToList();

        Assert.True(offenders.Count == 0, "Runtime data is tracked in git; untrack it with `git rm --cached`: " + string.Join(", ", offenders));
    }

    [Theory]
    [InlineData("src/FederationPortal.Web/data/portal.db", true)]
    [InlineData("data/keys/key-9e1f7fcc-fa9d-45b5-b352-08a0bce7256c.xml", true)]
    [InlineData("src/FederationPortal.Web/data/sandbox.db-wal", true)]
    [InlineData("data/notes.txt", true)]
    [InlineData("src/FederationPortal.Data/PortalDbContext.cs", false)]
    [InlineData("docs/decisions/ADR-006-stored-secrets.md", false)]
    public void Runtime_data_is_recognised_by_its_path(string path, bool expected) => Assert.Equal(expected, IsRuntimeData(path));

    private static bool IsRuntimeData(string path) => RuntimeData().IsMatch(path);

    // *.db (and its -wal/-shm companions), a key ring file, or anything under a folder named data/.
    [GeneratedRegex(@"(\.db(-wal|-shm|-journal)?$)|((^|/)key-[^/]*\.xml$)|((^|/)data/)", RegexOptions.IgnoreCase)]
    private static partial Regex RuntimeData();
}
