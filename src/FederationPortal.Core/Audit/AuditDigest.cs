using System.Globalization;

namespace FederationPortal.Core.Audit;

/// <summary>
/// A signed statement that the audit trail held events <see cref="FirstSequence"/>–<see cref="LastSequence"/> and that
/// the last of them had <see cref="LastHash"/>, as CloudTrail's digest files state it of its log files. Each digest
/// also signs its predecessor's signature, so the digests form a chain of their own; the key that signs them lives
/// outside the database.
/// </summary>
/// <param name="Number">1, 2, 3 … in the order they were made.</param>
/// <param name="PreviousSignature">The signature of digest <c>Number − 1</c>; null for the first.</param>
/// <param name="KeyId">Which signing key made <see cref="Signature"/> (a SHA-256 prefix of its public key).</param>
/// <param name="Signature">ECDSA P-256 / SHA-256 over <see cref="SignedContent"/>, base64.</param>
public sealed record AuditDigest(
    long Number,
    DateTimeOffset CreatedAt,
    long FirstSequence,
    long LastSequence,
    string LastHash,
    string? PreviousSignature,
    string KeyId,
    string Signature)
{
    /// <summary>The exact text that is signed: one field a line, invariant formats.</summary>
    public string SignedContent => string.Join('\n',
        Number.ToString(CultureInfo.InvariantCulture),
        CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        FirstSequence.ToString(CultureInfo.InvariantCulture),
        LastSequence.ToString(CultureInfo.InvariantCulture),
        LastHash,
        PreviousSignature ?? "-",
        KeyId);
}
