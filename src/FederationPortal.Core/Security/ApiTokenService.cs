using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>Creates, checks and revokes API tokens. Creating and revoking need Admin and are audited.</summary>
public sealed class ApiTokenService(IApiTokenStore store, IAuditTrail audit, TimeProvider clock)
{
    public const string TokenPrefix = "fpt_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    public async Task<CreatedApiToken> CreateAsync(PortalActor actor, string name, string role, int? validDays, CancellationToken cancellationToken = default)
    {
        const string action = "api-token.create";
        await RequireAdminAsync(actor, action, cancellationToken);
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 64)
        {
            errors["Name"] = "Name the token after what uses it (1–64 characters), e.g. 'CI pipeline'.";
        }

        if (!PortalRoles.All.Contains(role))
        {
            errors["Role"] = $"Choose {PortalRoles.Admin} or {PortalRoles.Reader}.";
        }

        if (validDays is < 1 or > 730)
        {
            errors["ValidDays"] = "A token may live 1 to 730 days (or leave it empty for no expiry).";
        }

        if (errors.Count > 0)
        {
            var failure = new PortalValidationException(errors);
            await RecordAsync(actor, action, null, AuditOutcome.Failure, failure.Message, cancellationToken);
            throw failure;
        }

        var value = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = NewToken(name.Trim(), role, value, actor.DisplayName, validDays is null ? null : clock.GetUtcNow().AddDays(validDays.Value));
        await store.AddAsync(token, cancellationToken);
        await RecordAsync(actor, action, token, AuditOutcome.Success, null, cancellationToken);
        return new CreatedApiToken(token, value);
    }

    /// <summary>
    /// The installation's own Admin token for scripts: keeps the one whose value the caller already holds while it is
    /// active, otherwise creates a new random one (audited as the portal). Returns the value to keep, or null when the
    /// held one is still good. The value is never stored here, only its hash.
    /// </summary>
    public async Task<string?> EnsureInstallationTokenAsync(string name, string? heldValue, CancellationToken cancellationToken = default)
    {
        if (heldValue is { Length: > 0 }
            && await store.FindByHashAsync(Hash(heldValue), cancellationToken) is { } held
            && held.IsActive(clock.GetUtcNow()))
        {
            return null;
        }

        return (await CreateAsync(PortalActor.System, name, PortalRoles.Admin, validDays: null, cancellationToken)).Value;
    }

    /// <summary>Revokes the token with this value if it exists and is active (audited); true if it did.</summary>
    public async Task<bool> RevokeValueAsync(PortalActor actor, string value, CancellationToken cancellationToken = default)
    {
        await RequireAdminAsync(actor, "api-token.revoke", cancellationToken);
        if (await store.FindByHashAsync(Hash(value), cancellationToken) is not { } token || !token.IsActive(clock.GetUtcNow()))
        {
            return false;
        }

        await RevokeAsync(actor, token.Id, cancellationToken);
        return true;
    }

    public async Task RevokeAsync(PortalActor actor, Guid id, CancellationToken cancellationToken = default)
    {
        const string action = "api-token.revoke";
        await RequireAdminAsync(actor, action, cancellationToken);
        var token = await store.FindAsync(id, cancellationToken) ?? throw new Federation.PortalNotFoundException($"There is no API token {id}.");
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            token.RevokedBy = actor.DisplayName;
            await store.UpdateAsync(token, cancellationToken);
        }

        await RecordAsync(actor, action, token, AuditOutcome.Success, null, cancellationToken);
    }

    /// <summary>The active token with this value, or why there is none. Records the last use.</summary>
    public async Task<(ApiToken? Token, string? Refusal)> AuthenticateAsync(string value, CancellationToken cancellationToken = default)
    {
        var token = await store.FindByHashAsync(Hash(value), cancellationToken);
        var now = clock.GetUtcNow();
        if (token is null)
        {
            return (null, "Unknown API token.");
        }

        if (token.RevokedAt is not null)
        {
            return (token, $"API token '{token.Name}' was revoked on {token.RevokedAt:yyyy-MM-dd}.");
        }

        if (token.ExpiresAt <= now)
        {
            return (token, $"API token '{token.Name}' expired on {token.ExpiresAt:yyyy-MM-dd}.");
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await store.UpdateAsync(token, cancellationToken);
        }

        return (token, null);
    }

    private ApiToken NewToken(string name, string role, string value, string createdBy, DateTimeOffset? expiresAt) => new()
    {
        Id = Guid.CreateVersion7(clock.GetUtcNow()),
        Name = name,
        Role = role,
        TokenHash = Hash(value),
        Prefix = value[..Math.Min(10, value.Length)],
        CreatedBy = createdBy,
        CreatedAt = clock.GetUtcNow(),
        ExpiresAt = expiresAt,
    };

    private async Task RequireAdminAsync(PortalActor actor, string action, CancellationToken cancellationToken)
    {
        if (!actor.IsAdmin)
        {
            await RecordAsync(actor, action, null, AuditOutcome.Denied, $"Requires the {PortalRoles.Admin} role.", cancellationToken);
            throw new PortalAuthorizationException(action, actor);
        }
    }

    private Task RecordAsync(PortalActor actor, string action, ApiToken? token, AuditOutcome outcome, string? error, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = outcome,
            TargetType = "ApiToken",
            TargetId = token?.Id.ToString(),
            ErrorMessage = error,
            Details = token is null ? null : new { token.Name, token.Role, token.Prefix, token.ExpiresAt },
        }, cancellationToken);
}
