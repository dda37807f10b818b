using Microsoft.Extensions.Options;

namespace FederationPortal.Core.Federation.Handlers;

/// <summary>Engine settings for the provisioning hand-over (<c>Portal:Provisioning</c>).</summary>
public sealed class ProvisioningOptions
{
    public const string SectionName = "Portal:Provisioning";

    /// <summary>How long to wait for Entra's provisioning run to finish (real tenants can take ~40 minutes for a scheduled cycle; a started run is quicker).</summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>Both waits must be positive, and a poll shorter than the wait.</summary>
internal sealed class ProvisioningOptionsValidator : IValidateOptions<ProvisioningOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvisioningOptions options)
    {
        var failures = new List<string>();
        if (options.RunTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{ProvisioningOptions.SectionName}:{nameof(options.RunTimeout)} must be a positive duration such as 00:05:00, not {options.RunTimeout}.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > options.RunTimeout)
        {
            failures.Add($"{ProvisioningOptions.SectionName}:{nameof(options.PollInterval)} must be a positive duration no longer than {nameof(options.RunTimeout)}, not {options.PollInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
