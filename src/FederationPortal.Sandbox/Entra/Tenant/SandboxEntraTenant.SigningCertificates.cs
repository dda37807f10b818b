using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Graph;

namespace FederationPortal.Sandbox.Entra.Tenant;

/// <summary>The service principals' token signing certificates: added, kept or removed as Entra does.</summary>
internal sealed partial class SandboxEntraTenant
{
    public JsonObject AddTokenSigningCertificate(string id, JsonObject body)
    {
        var displayName = body["displayName"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(displayName) || !displayName.StartsWith("CN=", StringComparison.Ordinal))
        {
            throw GraphException.BadRequest("The displayName of a token signing certificate must start with 'CN='.");
        }

        var now = time.GetUtcNow();
        var end = now.AddYears(3);
        if (body["endDateTime"] is { } endNode)
        {
            if (!DateTimeOffset.TryParse(endNode.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out end))
            {
                throw GraphException.BadRequest("Property 'endDateTime' is not a valid date.");
            }

            if (end <= now)
            {
                throw GraphException.BadRequest("The endDateTime of a token signing certificate must be in the future.");
            }

            if (end > now.AddYears(3).AddMinutes(5))
            {
                throw GraphException.BadRequest("The endDateTime of a token signing certificate can be at most 3 years after its creation.");
            }
        }

        string subject;
        try
        {
            subject = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(displayName).Name;
        }
        catch (CryptographicException)
        {
            throw GraphException.BadRequest($"The displayName '{displayName}' is not a valid X.500 name.");
        }

        lock (gate)
        {
            var sp = ServicePrincipal(id);
            using var certificate = keys.Create(sp.Id, subject, end);
            var customKeyIdentifier = ThumbprintToKeyIdentifier(certificate.Thumbprint);
            var start = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var verifyKeyId = Guid.NewGuid();
            sp.KeyCredentials.Add(new StoredKeyCredential { KeyId = Guid.NewGuid(), CustomKeyIdentifier = customKeyIdentifier, DisplayName = displayName, StartDateTime = start, EndDateTime = notAfter, Usage = "Sign" });
            sp.KeyCredentials.Add(new StoredKeyCredential { KeyId = verifyKeyId, CustomKeyIdentifier = customKeyIdentifier, DisplayName = displayName, StartDateTime = start, EndDateTime = notAfter, Usage = "Verify" });
            sp.PasswordCredentials.Add(new StoredPasswordCredential { KeyId = Guid.NewGuid(), CustomKeyIdentifier = customKeyIdentifier, DisplayName = displayName, StartDateTime = start, EndDateTime = notAfter });
            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
            return new JsonObject
            {
                ["customKeyIdentifier"] = customKeyIdentifier,
                ["displayName"] = displayName,
                ["endDateTime"] = GraphJson.Date(notAfter),
                ["key"] = Convert.ToBase64String(certificate.RawData),
                ["keyId"] = verifyKeyId.ToString(),
                ["startDateTime"] = GraphJson.Date(start),
                ["thumbprint"] = certificate.Thumbprint,
                ["type"] = "AsymmetricX509Cert",
                ["usage"] = "Verify",
            };
        }
    }

    /// <summary>
    /// The credentials a PATCH keeps. The sandbox supports what the portal does with it, removing credentials: every
    /// element must name an existing <c>keyId</c> (a new certificate is added with addTokenSigningCertificate).
    /// </summary>
    private static HashSet<Guid> KeptCredentialIds(JsonNode? value, IEnumerable<Guid> existing, string property)
    {
        if (value is not JsonArray array)
        {
            throw GraphException.BadRequest($"Property '{property}' must be an array.");
        }

        var known = existing.ToHashSet();
        var kept = new HashSet<Guid>();
        foreach (var node in array)
        {
            if (node is not JsonObject credential || credential["keyId"]?.GetValue<string>() is not { } idText || !Guid.TryParse(idText, out var keyId))
            {
                throw GraphException.BadRequest($"Each element of '{property}' needs a 'keyId' (a GUID).");
            }

            if (!known.Contains(keyId))
            {
                throw GraphException.BadRequest($"The sandbox tenant adds credentials only through addTokenSigningCertificate; '{keyId}' is not a credential of this service principal.");
            }

            kept.Add(keyId);
        }

        return kept;
    }

    /// <summary>The public certificate (base64 DER) of a signing key credential, as Graph returns on <c>$select=keyCredentials</c>.</summary>
    public string? PublicCertificate(string? customKeyIdentifier)
    {
        if (string.IsNullOrEmpty(customKeyIdentifier))
        {
            return null;
        }

        using var certificate = keys.Load(Convert.ToHexString(Convert.FromBase64String(customKeyIdentifier)));
        return certificate is null ? null : Convert.ToBase64String(certificate.RawData);
    }

    internal static string ThumbprintToKeyIdentifier(string thumbprint)
    {
        try
        {
            return Convert.ToBase64String(Convert.FromHexString(thumbprint));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    /// <summary>The certificate (with private key) that signs this service principal's tokens and metadata.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 ActiveSigningCertificate(StoredServicePrincipal? sp)
    {
        if (sp?.PreferredTokenSigningKeyThumbprint is { } preferred && keys.Load(preferred) is { } chosen)
        {
            return chosen;
        }

        var newest = sp?.KeyCredentials.Where(k => k.Usage == "Sign").OrderByDescending(k => k.StartDateTime).FirstOrDefault();
        if (newest is not null && keys.Load(Convert.ToHexString(Convert.FromBase64String(newest.CustomKeyIdentifier))) is { } latest)
        {
            return latest;
        }

        return keys.TenantKey();
    }
}
