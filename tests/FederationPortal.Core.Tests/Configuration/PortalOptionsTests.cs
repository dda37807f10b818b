using System.ComponentModel.DataAnnotations;
using FederationPortal.Core.Configuration;

namespace FederationPortal.Core.Tests.Configuration;

public sealed class PortalOptionsTests
{
    private static List<ValidationResult> Validate(PortalOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Sandbox_mode_needs_no_credentials()
    {
        Assert.Empty(Validate(new PortalOptions { Mode = PortalMode.Sandbox }));
    }

    [Fact]
    public void Live_mode_without_entra_settings_names_each_missing_key()
    {
        var errors = Validate(new PortalOptions { Mode = PortalMode.Live });
        var members = errors.SelectMany(e => e.MemberNames).ToList();
        Assert.Contains("Portal:Entra:TenantId", members);
        Assert.Contains("Portal:Entra:ClientId", members);
        Assert.Contains("Portal:Entra:ClientSecret", members);
        Assert.All(errors, e => Assert.Contains("Portal:", e.ErrorMessage));
    }

    [Fact]
    public void Live_mode_with_a_secret_and_ids_is_valid()
    {
        var options = new PortalOptions
        {
            Mode = PortalMode.Live,
            Entra = new EntraOptions { TenantId = Guid.NewGuid().ToString(), ClientId = Guid.NewGuid().ToString(), ClientSecret = "s" },
        };
        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE", null, "go together")]
    [InlineData("my-console-password", "x", "console password")]
    public void Live_mode_refuses_half_or_wrong_aws_keys(string accessKeyId, string? secret, string expected)
    {
        var options = new PortalOptions
        {
            Mode = PortalMode.Live,
            Entra = new EntraOptions { TenantId = Guid.NewGuid().ToString(), ClientId = Guid.NewGuid().ToString(), ClientSecret = "s" },
            Aws = new AwsOptions { AccessKeyId = accessKeyId, SecretAccessKey = secret },
        };
        var errors = Validate(options);
        Assert.Contains(errors, e => e.ErrorMessage!.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Live_mode_refuses_a_region_that_is_not_a_region()
    {
        var options = new PortalOptions
        {
            Mode = PortalMode.Live,
            Entra = new EntraOptions { TenantId = Guid.NewGuid().ToString(), ClientId = Guid.NewGuid().ToString(), ClientSecret = "s" },
            Aws = new AwsOptions { Region = "Frankfurt" },
        };
        Assert.Contains(Validate(options), e => e.MemberNames.Contains("Portal:Aws:Region"));
    }

    [Fact]
    public void Relative_data_directory_resolves_against_the_working_directory()
    {
        var options = new PortalOptions { DataDirectory = "data" };
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data"), options.ResolveDataDirectory());
    }
}
