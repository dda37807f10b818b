using System.Text;
using FederationPortal.Core.Saml;

namespace FederationPortal.Core.Federation;

/// <summary>What checking an uploaded federation metadata file found.</summary>
/// <param name="Xml">The document as IAM will receive it (UTF-8, byte-order mark removed); null when refused.</param>
public sealed record MetadataUploadResult(string? Xml, SamlMetadata? Metadata, IReadOnlyList<string> Problems, bool BomRemoved)
{
    public bool Accepted => Xml is not null && Problems.Count == 0;
}

/// <summary>
/// Checks a federation metadata file an admin downloaded from Entra (as the source article does by hand) before it
/// goes to IAM: the byte-order mark IAM chokes on is removed, the signature must verify, and a file whose signing
/// certificates have all expired is refused with a message that says so.
/// </summary>
public static class MetadataUpload
{
    public static MetadataUploadResult Check(byte[] content, string? expectedEntityIdPrefix, DateTimeOffset now)
    {
        var bomRemoved = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF;
        var bytes = bomRemoved ? content[3..] : content;
        var parsed = SamlMetadataParser.Parse(bytes);
        var problems = parsed.Problems.Select(p => p.Message).ToList();
        var metadata = parsed.Metadata;
        if (metadata is not null)
        {
            if (metadata.IsSigned && metadata.SignatureValid != true)
            {
                problems.Add("The file's signature does not verify: it was changed after Entra signed it. Download it again from the app's SAML page.");
            }

            if (metadata.SigningCertificates.Count > 0 && metadata.SigningCertificates.All(c => c.NotAfter <= now))
            {
                var latest = metadata.SigningCertificates.Max(c => c.NotAfter);
                problems.Add($"Every signing certificate in this file expired (the latest on {latest:yyyy-MM-dd}): AWS would refuse every sign-in. Create a new certificate in Entra and download the metadata again.");
            }

            if (expectedEntityIdPrefix is not null && !metadata.EntityId.StartsWith(expectedEntityIdPrefix, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"This metadata is for {metadata.EntityId}, not this environment's tenant ({expectedEntityIdPrefix}).");
            }
        }

        return problems.Count == 0 && metadata is not null
            ? new MetadataUploadResult(new UTF8Encoding(false).GetString(bytes), metadata, [], bomRemoved)
            : new MetadataUploadResult(null, metadata, problems, bomRemoved);
    }
}
