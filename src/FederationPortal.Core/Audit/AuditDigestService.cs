using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Audit;

/// <summary>
/// Anchors the hash chain the way CloudTrail's log-file integrity validation does: every so often a digest, signed
/// with a key kept outside the database, states which events the trail held and the hash of the last. A forger who
/// changes an event and recomputes every later hash, reorders events, rewrites the whole chain or deletes its newest
/// events is then named by <see cref="VerifyAsync"/>, which the chain walk alone cannot do. Events newer than the last
/// digest are vouched for by the chain only, until the next digest.
/// </summary>
public sealed class AuditDigestService(IAuditTrail trail, IAuditDigestStore store, ISecretProtector protector, TimeProvider clock)
{
    public const string DigestAction = "audit.digest";
    public const string Algorithm = "ECDSA P-256 with SHA-256 over AuditDigest.SignedContent (UTF-8)";

    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>
    /// Makes a digest of the events added since the last one, or returns null when there are none. The digest covers
    /// its own audit event, which is written first; a failure to sign or store it is audited too.
    /// </summary>
    public Task<AuditDigest?> CreateDigestAsync(CancellationToken cancellationToken = default)
        => CreateAsync(PortalActor.System, cancellationToken);

    /// <summary>An Admin's "sign a digest now" (before an export, say); a Reader or anonymous caller is refused and audited.</summary>
    public async Task<AuditDigest?> SignNowAsync(PortalActor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.IsAdmin)
        {
            await trail.RecordAsync(Entry(actor, AuditOutcome.Denied, 0, 0, $"Requires the {PortalRoles.Admin} role."), CancellationToken.None);
            throw new PortalAuthorizationException(DigestAction, actor);
        }

        return await CreateAsync(actor, cancellationToken);
    }

    private async Task<AuditDigest?> CreateAsync(PortalActor actor, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var digests = await store.ListAsync(cancellationToken);
            var previous = digests.Count > 0 ? digests[^1] : null;
            var newest = await NewestEventAsync(cancellationToken);
            if (newest is null || newest.Sequence <= (previous?.LastSequence ?? 0))
            {
                return null;
            }

            var number = (previous?.Number ?? 0) + 1;
            var first = (previous?.LastSequence ?? 0) + 1;
            var own = await trail.RecordAsync(Entry(actor, AuditOutcome.Success, number, first, null), cancellationToken);
            try
            {
                using var key = await LoadKeyAsync(create: true, cancellationToken) ?? throw new InvalidOperationException("No signing key.");
                var unsigned = new AuditDigest(number, clock.GetUtcNow(), first, own.Sequence, own.Hash, previous?.Signature, KeyId(key), string.Empty);
                var digest = unsigned with { Signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(unsigned.SignedContent), HashAlgorithmName.SHA256)) };
                await store.AddAsync(digest, cancellationToken);
                return digest;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await trail.RecordAsync(Entry(actor, AuditOutcome.Failure, number, first, ex.Message), CancellationToken.None);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The chain walk, then every digest: its signature, its link to the one before, and the event it vouches for.</summary>
    public async Task<AuditIntegrityReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var chain = await trail.VerifyIntegrityAsync(cancellationToken);
        var digests = await store.ListAsync(cancellationToken);
        if (!chain.IsIntact || digests.Count == 0)
        {
            return chain;
        }

        using var key = await LoadKeyAsync(create: false, cancellationToken);
        if (key is null)
        {
            return Broken(chain, 1, "Signed digests exist but their signing key is gone: nothing vouches for the trail any more.");
        }

        var keyId = KeyId(key);
        string? previousSignature = null;
        long previousLast = 0;
        foreach (var digest in digests)
        {
            if (!string.Equals(digest.PreviousSignature, previousSignature, StringComparison.Ordinal) || digest.FirstSequence != previousLast + 1)
            {
                return Broken(chain, previousLast + 1, $"Digest {digest.Number} does not follow digest {digest.Number - 1}: a digest was removed or replaced.");
            }

            if (digest.KeyId != keyId || !Verifies(key, digest))
            {
                return Broken(chain, digest.FirstSequence, $"Digest {digest.Number}'s signature does not verify with the portal's signing key: the digest was forged or altered.");
            }

            previousSignature = digest.Signature;
            previousLast = digest.LastSequence;
        }

        var last = digests[^1];
        if (last.LastSequence > chain.EventsChecked)
        {
            return Broken(chain, chain.EventsChecked + 1,
                $"Events {chain.EventsChecked + 1}–{last.LastSequence} are missing: signed digest {last.Number} of {Time(last)} vouches for event {last.LastSequence}, and the trail ends at event {chain.EventsChecked}.");
        }

        var vouched = digests.ToDictionary(d => d.LastSequence);
        await foreach (var evt in trail.StreamAsync(new AuditQuery { Descending = false }, cancellationToken))
        {
            if (vouched.TryGetValue(evt.Sequence, out var digest) && !string.Equals(evt.Hash, digest.LastHash, StringComparison.Ordinal))
            {
                return Broken(chain, digest.FirstSequence,
                    $"Events {digest.FirstSequence}–{digest.LastSequence} were rewritten: event {digest.LastSequence} no longer has the hash signed digest {digest.Number} of {Time(digest)} vouches for, so the hashes were recomputed to hide a change.");
            }

            if (evt.Sequence >= last.LastSequence)
            {
                break;
            }
        }

        return chain with { DigestsChecked = digests.Count };
    }

    /// <summary>
    /// Every digest with the public key that verifies them, for an admin to keep outside the portal; empty (no key)
    /// before the first digest.
    /// </summary>
    public async Task<AuditDigestExport> ExportAsync(CancellationToken cancellationToken = default)
    {
        var digests = await store.ListAsync(cancellationToken);
        using var key = await LoadKeyAsync(create: false, cancellationToken);
        return key is null
            ? new AuditDigestExport(Algorithm, string.Empty, string.Empty, [])
            : new AuditDigestExport(Algorithm, KeyId(key), key.ExportSubjectPublicKeyInfoPem(), digests);
    }

    private async Task<AuditEvent?> NewestEventAsync(CancellationToken cancellationToken)
    {
        await foreach (var evt in trail.StreamAsync(new AuditQuery { Descending = true }, cancellationToken))
        {
            return evt;
        }

        return null;
    }

    /// <summary>The signing key, sealed by the secret protector (Data Protection) in the digest store; made on first use.</summary>
    private async Task<ECDsa?> LoadKeyAsync(bool create, CancellationToken cancellationToken)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (await store.ReadProtectedKeyAsync(cancellationToken) is { } sealedKey)
        {
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(protector.Unprotect(sealedKey)), out _);
            return key;
        }

        if (!create)
        {
            key.Dispose();
            return null;
        }

        await store.WriteProtectedKeyAsync(protector.Protect(Convert.ToBase64String(key.ExportPkcs8PrivateKey())), cancellationToken);
        return key;
    }

    private static bool Verifies(ECDsa key, AuditDigest digest)
    {
        try
        {
            return key.VerifyData(Encoding.UTF8.GetBytes(digest.SignedContent), Convert.FromBase64String(digest.Signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    private static string Time(AuditDigest digest) => digest.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static AuditIntegrityReport Broken(AuditIntegrityReport chain, long sequence, string problem)
        => new(chain.EventsChecked, sequence, problem);

    private static AuditEntry Entry(PortalActor actor, AuditOutcome outcome, long number, long first, string? error) => new()
    {
        ActorId = actor.Id,
        ActorName = actor.DisplayName,
        Action = DigestAction,
        Outcome = outcome,
        TargetType = "AuditDigest",
        TargetId = number == 0 ? null : number.ToString(CultureInfo.InvariantCulture),
        ErrorMessage = error,
        Details = number == 0 ? null : new { digest = number, firstSequence = first },
    };
}
