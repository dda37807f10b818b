using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Core.Configuration;

/// <summary>Which clouds the portal talks to. The same code paths serve both; only endpoints and credentials differ.</summary>
public enum PortalMode
{
    /// <summary>The portal serves an emulated Entra tenant and AWS account itself; no credentials, no network.</summary>
    Sandbox,

    /// <summary>Microsoft Graph against a real tenant, AWS IAM/STS against a real account.</summary>
    Live,
}

/// <summary>The <c>Portal</c> configuration section.</summary>
public sealed class PortalOptions : IValidatableObject
{
    public const string SectionName = "Portal";

    /// <summary>Default for <see cref="DataDirectory"/>: a <c>data</c> folder under the working directory.</summary>
    public const string DefaultDataDirectory = "data";

    [EnumDataType(typeof(PortalMode))]
    public PortalMode Mode { get; set; } = PortalMode.Sandbox;

    /// <summary>Where the SQLite databases and the data-protection key ring live. Relative paths resolve against the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    public EntraOptions Entra { get; set; } = new();

    public AwsOptions Aws { get; set; } = new();

    /// <summary>The absolute data directory.</summary>
    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory, Directory.GetCurrentDirectory());

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != PortalMode.Live)
        {
            yield break;
        }

        foreach (var result in Entra.ValidateForLive())
        {
            yield return result;
        }

        foreach (var result in Aws.ValidateForLive())
        {
            yield return result;
        }
    }
}

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

/// <summary>The <c>Portal:Aws</c> section. Credentials come from the standard chain unless keys are configured.</summary>
public sealed class AwsOptions
{
    public string Region { get; set; } = "us-east-1";

    /// <summary>A named profile from the shared credentials file; empty for the default chain.</summary>
    public string? Profile { get; set; }

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public string? SessionToken { get; set; }

    internal IEnumerable<ValidationResult> ValidateForLive()
    {
        if (string.IsNullOrWhiteSpace(Region) || !System.Text.RegularExpressions.Regex.IsMatch(Region, "^[a-z]{2}(-[a-z]+)+-\\d$"))
        {
            yield return new ValidationResult(
                $"Portal:Aws:Region '{Region}' is not an AWS region name such as us-east-1.", ["Portal:Aws:Region"]);
        }

        var hasKey = !string.IsNullOrWhiteSpace(AccessKeyId);
        var hasSecret = !string.IsNullOrWhiteSpace(SecretAccessKey);
        if (hasKey != hasSecret)
        {
            yield return new ValidationResult(
                "Portal:Aws:AccessKeyId and Portal:Aws:SecretAccessKey go together: set both, or neither to use the standard credential chain.",
                ["Portal:Aws:AccessKeyId", "Portal:Aws:SecretAccessKey"]);
        }

        if (hasKey && !System.Text.RegularExpressions.Regex.IsMatch(AccessKeyId!, "^(AKIA|ASIA)[A-Z0-9]{16}$"))
        {
            yield return new ValidationResult(
                "Portal:Aws:AccessKeyId must look like AKIA… (20 characters); a console password is not an access key.",
                ["Portal:Aws:AccessKeyId"]);
        }
    }
}
