using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Graph;
using FederationPortal.Sandbox.Storage;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Login;

/// <summary>
/// The emulated tenant's token issuer: client-credentials tokens for the seeded Graph client, as JWTs signed with a
/// tenant key that never leaves the sandbox (HS256: only the sandbox itself validates them).
/// </summary>
internal sealed class SandboxTokenService
{
    public const string GraphAudience = "https://graph.microsoft.com";
    private const string KeyKind = "entra.tokenKey";

    private readonly byte[] key;
    private readonly SandboxOptions options;
    private readonly SandboxEntraOptions entraOptions;
    private readonly TimeProvider time;

    public SandboxTokenService(SandboxDocumentStore store, IOptions<SandboxOptions> options, IOptions<SandboxEntraOptions> entraOptions, TimeProvider time)
    {
        this.options = options.Value;
        this.entraOptions = entraOptions.Value;
        this.time = time;
        var stored = store.Get<TokenKey>(KeyKind, "current");
        if (stored is null)
        {
            stored = new TokenKey(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            store.Put(KeyKind, "current", stored);
        }

        key = Convert.FromBase64String(stored.Key);
    }

    public string Issuer => $"https://sts.windows.net/{options.TenantId}/";

    public (string Token, int ExpiresIn) Issue(string clientId)
    {
        var now = time.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(entraOptions.AccessTokenLifetimeMinutes);
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "HS256" };
        var payload = new JsonObject
        {
            ["aud"] = GraphAudience,
            ["iss"] = Issuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["appid"] = clientId,
            ["idtyp"] = "app",
            ["oid"] = clientId,
            ["roles"] = GraphJson.Strings(entraOptions.GrantedPermissions ?? SandboxEntraOptions.AllPortalPermissions),
            ["tid"] = options.TenantId,
            ["uti"] = Guid.NewGuid().ToString("N"),
            ["ver"] = "1.0",
        };
        var unsigned = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var signature = Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(unsigned)));
        return ($"{unsigned}.{signature}", (int)lifetime.TotalSeconds);
    }

    /// <summary>Null when the token is valid for Graph; else Graph's message for the 401.</summary>
    public string? Validate(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return "Access token is empty.";
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "Access token validation failure. Invalid authorization scheme.";
        }

        var parts = authorization[7..].Trim().Split('.');
        if (parts.Length != 3)
        {
            return "IDX14100: JWT is not well formed, there are no dots (.).";
        }

        var expected = Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}")));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2])))
        {
            return "Access token validation failure. Invalid signature.";
        }

        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(FromBase64Url(parts[1]));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return "Access token validation failure.";
        }

        if (payload?["aud"]?.GetValue<string>() != GraphAudience)
        {
            return "Access token validation failure. Invalid audience.";
        }

        if (payload["tid"]?.GetValue<string>() != options.TenantId)
        {
            return "Access token validation failure. Invalid issuer.";
        }

        return payload["exp"]?.GetValue<long>() is { } exp && exp > time.GetUtcNow().ToUnixTimeSeconds()
            ? null
            : "Lifetime validation failed, the token is expired.";
    }

    /// <summary>The application permissions (<c>roles</c>) of a token <see cref="Validate"/> accepted.</summary>
    public IReadOnlyList<string> Roles(string authorization)
    {
        var payload = JsonNode.Parse(FromBase64Url(authorization[7..].Trim().Split('.')[1]));
        return payload?["roles"] is JsonArray roles ? [.. roles.Select(r => r?.GetValue<string>() ?? "")] : [];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }

    private sealed record TokenKey(string Key);
}
