using FederationPortal.Core.Security;

namespace FederationPortal.Web.Security;

/// <summary>
/// The sandbox's Admin API token for scripts, created per installation: random, stored hashed like any token, and
/// its value written once to a file in the data folder that only the account running the portal can read (the way
/// Jenkins hands out its initial admin password). It is never served over HTTP nor shown on a page: whoever can
/// read the data folder already controls the portal.
/// </summary>
public static class InstallationAdminToken
{
    /// <summary>The file in the data folder that holds the token's value.</summary>
    public const string FileName = "sandbox-admin-token";

    /// <summary>The token's name in Settings › API tokens.</summary>
    public const string TokenName = "Sandbox admin (scripts)";

    /// <summary>
    /// The well-known value that versions before 2026-12 created in every sandbox and printed in their README and
    /// <c>/sandbox/info</c>: public, so revoked wherever it still works.
    /// </summary>
    public const string LegacyWellKnownValue = "fpt_sandbox_admin_token_for_scripts_only";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Revokes the legacy token, then keeps the file's token or replaces it with a new one.</summary>
    public static async Task EnsureAsync(ApiTokenService tokens, string dataDirectory, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (await tokens.RevokeValueAsync(PortalActor.System, LegacyWellKnownValue, cancellationToken))
        {
            logger.LogWarning("Revoked the well-known sandbox API token of earlier versions; scripts now read {TokenFile}", PathIn(dataDirectory));
        }

        var path = PathIn(dataDirectory);
        var held = File.Exists(path) ? (await File.ReadAllTextAsync(path, cancellationToken)).Trim() : null;
        var created = await tokens.EnsureInstallationTokenAsync(TokenName, held, cancellationToken);
        if (created is not null)
        {
            await WriteOwnerOnlyAsync(path, created, cancellationToken);
            logger.LogInformation("Created the sandbox's Admin API token for scripts in {TokenFile}", path);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static async Task WriteOwnerOnlyAsync(string path, string value, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteLineAsync(value.AsMemory(), cancellationToken);
    }
}
