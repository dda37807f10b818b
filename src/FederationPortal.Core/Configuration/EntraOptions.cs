using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Core.Configuration;

/// <summary>The <c>Portal:Entra</c> section: the app registration the portal signs in with (Live mode).</summary>
public sealed class EntraOptions
{
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A client secret. Prefer <see cref="CertificatePath"/> in production.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A PFX/PEM file holding the client certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    internal IEnumerable<ValidationResult> ValidateForLive()
    {
        if (!Guid.TryParse(TenantId, out _))
        {
            yield return new ValidationResult(
                "Portal:Entra:TenantId is required in Live mode and must be the tenant's GUID (Entra admin center > Overview > Tenant ID).",
                ["Portal:Entra:TenantId"]);
        }

        if (!Guid.TryParse(ClientId, out _))
        {
            yield return new ValidationResult(
                "Portal:Entra:ClientId is required in Live mode and must be the portal app registration's Application (client) ID.",
                ["Portal:Entra:ClientId"]);
        }

        if (string.IsNullOrWhiteSpace(ClientSecret) && string.IsNullOrWhiteSpace(CertificatePath))
        {
            yield return new ValidationResult(
                "Live mode needs Portal:Entra:ClientSecret or Portal:Entra:CertificatePath (a PFX with the private key).",
                ["Portal:Entra:ClientSecret", "Portal:Entra:CertificatePath"]);
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
        {
            yield return new ValidationResult(
                $"Portal:Entra:CertificatePath points at '{CertificatePath}', which does not exist.",
                ["Portal:Entra:CertificatePath"]);
        }

        if (!Uri.TryCreate(Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Portal:Entra:Instance must be an absolute https URL.", ["Portal:Entra:Instance"]);
        }
    }
}
