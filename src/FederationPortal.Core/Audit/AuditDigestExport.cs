namespace FederationPortal.Core.Audit;

/// <summary>What an admin keeps outside the portal: every digest and the public key that verifies them.</summary>
/// <param name="PublicKeyPem">The signing key's public part (SubjectPublicKeyInfo, PEM).</param>
public sealed record AuditDigestExport(string Algorithm, string KeyId, string PublicKeyPem, IReadOnlyList<AuditDigest> Digests);
