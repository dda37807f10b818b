using System.Text.Json;
using FederationPortal.Core.Audit;

namespace FederationPortal.Data.Audit;

/// <summary>
/// The digests and their sealed signing key as files in <c>&lt;data&gt;/audit/</c>, outside the portal database: one
/// <c>digest-000001.json</c> per digest, and <c>signing-key</c> (owner-only) sealed by Data Protection.
/// </summary>
internal sealed class FileAuditDigestStore(string dataDirectory) : IAuditDigestStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private string Folder => Path.Combine(dataDirectory, "audit");

    private string KeyPath => Path.Combine(Folder, "signing-key");

    public async Task<IReadOnlyList<AuditDigest>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var digests = new List<AuditDigest>();
        foreach (var file in Directory.EnumerateFiles(Folder, "digest-*.json").Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            digests.Add(await JsonSerializer.DeserializeAsync<AuditDigest>(stream, Json, cancellationToken)
                        ?? throw new InvalidDataException($"{file} holds no digest."));
        }

        return digests.OrderBy(d => d.Number).ToList();
    }

    public async Task AddAsync(AuditDigest digest, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"digest-{digest.Number:D6}.json");
        // CreateNew: a digest is written once and never replaced.
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await JsonSerializer.SerializeAsync(stream, digest, Json, cancellationToken);
    }

    public async Task<string?> ReadProtectedKeyAsync(CancellationToken cancellationToken = default)
        => File.Exists(KeyPath) ? (await File.ReadAllTextAsync(KeyPath, cancellationToken)).Trim() : null;

    public async Task WriteProtectedKeyAsync(string protectedKey, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var writer = new StreamWriter(KeyPath, System.Text.Encoding.UTF8, options);
        await writer.WriteAsync(protectedKey.AsMemory(), cancellationToken);
    }
}
