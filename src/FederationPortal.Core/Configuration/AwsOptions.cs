using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Core.Configuration;

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
