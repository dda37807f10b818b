using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>
/// Sets and removes the Live-mode credentials kept in the portal's database. Admin only, validated, audited without
/// the value. Values take effect at the next start, when they are read into configuration.
/// </summary>
public sealed partial class StoredSecretService(IStoredSecretStore store, ISecretProtector protector, IAuditTrail audit, TimeProvider clock)
{
    /// <summary>The Data Protection purpose: changing it makes every stored secret unreadable.</summary>
    public const string ProtectionPurpose = "FederationPortal.StoredSecrets.v1";

    public const string EntraClientSecret = "Portal:Entra:ClientSecret";
    public const string AwsAccessKeyId = "Portal:Aws:AccessKeyId";
    public const string AwsSecretAccessKey = "Portal:Aws:SecretAccessKey";

    /// <summary>The keys Settings may store, with their labels, in display order.</summary>
    public static readonly IReadOnlyList<(string Name, string Label)> Known =
    [
        (EntraClientSecret, "Entra client secret"),
        (AwsAccessKeyId, "AWS access key id"),
        (AwsSecretAccessKey, "AWS secret access key"),
    ];

    public async Task<IReadOnlyList<StoredSecretInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var stored = (await store.ListAsync(cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        return Known.Select(k => stored.TryGetValue(k.Name, out var s)
            ? new StoredSecretInfo(k.Name, k.Label, true, s.UpdatedBy, s.UpdatedAt)
            : new StoredSecretInfo(k.Name, k.Label, false, null, null)).ToList();
    }

    /// <summary>
    /// Stores the given values (null or empty: leave that one unchanged) in one step: either all are valid and stored,
    /// or none is. An AWS access key id and its secret go together.
    /// </summary>
    public async Task SetAsync(PortalActor actor, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        const string action = "settings.secret.set";
        var given = values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary(v => v.Key, v => v.Value!.Trim(), StringComparer.Ordinal);
        var names = string.Join(", ", given.Keys.Order(StringComparer.Ordinal));
        await RequireAdminAsync(actor, action, names, cancellationToken);

        var existing = (await store.ListAsync(cancellationToken)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var errors = Validate(given, existing);
        if (errors.Count > 0)
        {
            var failure = new PortalValidationException(errors);
            await RecordAsync(actor, action, names, AuditOutcome.Failure, failure.Message, cancellationToken);
            throw failure;
        }

        var now = clock.GetUtcNow();
        foreach (var (name, value) in given)
        {
            await store.UpsertAsync(new StoredSecret { Name = name, Ciphertext = protector.Protect(value), UpdatedBy = actor.DisplayName, UpdatedAt = now }, cancellationToken);
        }

        await RecordAsync(actor, action, names, AuditOutcome.Success, null, cancellationToken);
    }

    public async Task RemoveAsync(PortalActor actor, string name, CancellationToken cancellationToken = default)
    {
        const string action = "settings.secret.remove";
        await RequireAdminAsync(actor, action, name, cancellationToken);
        if (!Known.Any(k => k.Name == name))
        {
            var failure = new PortalValidationException(new Dictionary<string, string> { ["Name"] = $"'{name}' is not a secret the portal stores." });
            await RecordAsync(actor, action, name, AuditOutcome.Failure, failure.Message, cancellationToken);
            throw failure;
        }

        var removed = await store.RemoveAsync(name, cancellationToken);
        await RecordAsync(actor, action, name, AuditOutcome.Success, removed ? null : "Nothing was stored.", cancellationToken);
    }

    private static Dictionary<string, string> Validate(IReadOnlyDictionary<string, string> given, IReadOnlySet<string> existing)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (given.Count == 0)
        {
            errors["Values"] = "Enter at least one value to store.";
        }

        foreach (var name in given.Keys.Where(n => !Known.Any(k => k.Name == n)))
        {
            errors[name] = $"'{name}' is not a secret the portal stores.";
        }

        if (given.TryGetValue(EntraClientSecret, out var clientSecret) && (clientSecret.Length is < 16 or > 256 || clientSecret.Any(char.IsWhiteSpace)))
        {
            errors[EntraClientSecret] = "An Entra client secret is 16–256 characters without spaces: copy the secret's Value (not its Secret ID) from App registrations > Certificates & secrets.";
        }

        if (given.TryGetValue(AwsAccessKeyId, out var keyId) && !AccessKeyIdPattern().IsMatch(keyId))
        {
            errors[AwsAccessKeyId] = "An AWS access key id is 20 upper-case letters and digits starting with AKIA (e.g. AKIAIOSFODNN7EXAMPLE).";
        }

        if (given.TryGetValue(AwsSecretAccessKey, out var secretKey) && !SecretAccessKeyPattern().IsMatch(secretKey))
        {
            errors[AwsSecretAccessKey] = "An AWS secret access key is 40 characters of letters, digits, '+' and '/'.";
        }

        var hasKeyId = given.ContainsKey(AwsAccessKeyId) || existing.Contains(AwsAccessKeyId);
        var hasSecretKey = given.ContainsKey(AwsSecretAccessKey) || existing.Contains(AwsSecretAccessKey);
        if (hasKeyId != hasSecretKey && !errors.ContainsKey(AwsAccessKeyId) && !errors.ContainsKey(AwsSecretAccessKey))
        {
            var missing = hasKeyId ? AwsSecretAccessKey : AwsAccessKeyId;
            errors[missing] = "An AWS access key id and its secret access key go together: enter both.";
        }

        return errors;
    }

    private async Task RequireAdminAsync(PortalActor actor, string action, string names, CancellationToken cancellationToken)
    {
        if (!actor.IsAdmin)
        {
            await RecordAsync(actor, action, names, AuditOutcome.Denied, $"Requires the {PortalRoles.Admin} role.", cancellationToken);
            throw new PortalAuthorizationException(action, actor);
        }
    }

    private Task RecordAsync(PortalActor actor, string action, string names, AuditOutcome outcome, string? error, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = outcome,
            TargetType = "StoredSecret",
            TargetId = names.Length == 0 ? null : names,
            ErrorMessage = error,
        }, cancellationToken);

    [GeneratedRegex("^(AKIA|ASIA)[A-Z0-9]{16}$")]
    private static partial Regex AccessKeyIdPattern();

    [GeneratedRegex("^[A-Za-z0-9+/]{40}$")]
    private static partial Regex SecretAccessKeyPattern();
}
