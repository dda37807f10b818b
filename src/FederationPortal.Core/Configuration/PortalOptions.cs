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
