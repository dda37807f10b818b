using System.Text;
using System.Text.RegularExpressions;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Federation;

/// <summary>Names, ARNs, tags and policy documents derived from an environment and its spec: one place, used by plan and apply.</summary>
public static partial class FederationNames
{
    public const string AwsSignInUrl = "https://signin.aws.amazon.com/saml";
    public const string ManagedByTagKey = "ManagedBy";
    public const string ManagedByTagValue = "FederationPortal";
    public const string EnvironmentTagKey = "FederationPortal:Environment";

    /// <summary>Entra imports a role only when <c>roleArn,providerArn</c> is shorter than this.</summary>
    public const int MaxRoleValueLength = 240;

    public static IReadOnlyList<AwsTag> Tags(FederationEnvironment environment) =>
    [
        new(ManagedByTagKey, ManagedByTagValue),
        new(EnvironmentTagKey, environment.Id.ToString()),
    ];

    /// <summary>True when the tags prove the resource belongs to this environment.</summary>
    public static bool IsOurs(IEnumerable<AwsTag>? tags, FederationEnvironment environment)
        => tags is not null
           && tags.Any(t => t.Key == ManagedByTagKey && t.Value == ManagedByTagValue)
           && tags.Any(t => t.Key == EnvironmentTagKey && t.Value == environment.Id.ToString());

    public static string AppDisplayName(FederationEnvironment environment, EnvironmentSpec spec)
        => string.IsNullOrWhiteSpace(spec.App.DisplayName) ? $"AWS {environment.Name}" : spec.App.DisplayName.Trim();

    public static string ProviderName(FederationEnvironment environment, EnvironmentSpec spec)
        => string.IsNullOrWhiteSpace(spec.SamlProviderName) ? Truncate($"EntraID-{Slug(environment.Name)}", 128) : spec.SamlProviderName.Trim();

    public static string ProviderArn(FederationEnvironment environment, EnvironmentSpec spec)
        => $"arn:aws:iam::{environment.AwsAccountId}:saml-provider/{ProviderName(environment, spec)}";

    public static string RoleArn(FederationEnvironment environment, string roleName)
        => $"arn:aws:iam::{environment.AwsAccountId}:role/{roleName}";

    /// <summary>What Entra puts in the Role claim: <c>roleArn,providerArn</c>.</summary>
    public static string RoleValue(FederationEnvironment environment, EnvironmentSpec spec, string roleName)
        => $"{RoleArn(environment, roleName)},{ProviderArn(environment, spec)}";

    public static string ProvisioningUserName(FederationEnvironment environment, EnvironmentSpec spec)
        => string.IsNullOrWhiteSpace(spec.Provisioning.UserName) ? Truncate($"FederationPortal-Provisioning-{Slug(environment.Name)}", 64) : spec.Provisioning.UserName.Trim();

    public static string ClaimsPolicyName(FederationEnvironment environment)
        => $"FederationPortal AWS claims ({environment.Name})";

    public static string CertificateSubject(FederationEnvironment environment)
        => $"CN=Microsoft Azure Federated SSO Certificate ({environment.Name})";

    /// <summary>The trust policy every federated role gets: this provider may call AssumeRoleWithSAML for the AWS sign-in audience.</summary>
    public static string TrustPolicy(string providerArn) =>
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," +
        $"\"Principal\":{{\"Federated\":\"{providerArn}\"}}," +
        "\"Action\":\"sts:AssumeRoleWithSAML\"," +
        $"\"Condition\":{{\"StringEquals\":{{\"SAML:aud\":\"{AwsSignInUrl}\"}}}}}}]}}";

    /// <summary>The provisioning user's only permissions: exactly what Entra's AWS connector calls.</summary>
    public const string ProvisioningPolicyName = "FederationPortalRoleImport";

    public const string ProvisioningPolicy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:ListRoles\",\"iam:ListAccountAliases\"],\"Resource\":\"*\"}]}";

    public static IReadOnlyList<string> PolicyArns(RoleSpec role) => role.Template switch
    {
        RoleTemplate.Administrator => ["arn:aws:iam::aws:policy/AdministratorAccess"],
        RoleTemplate.ReadOnly => ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        RoleTemplate.S3ReadOnly => ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
        RoleTemplate.PowerUser => ["arn:aws:iam::aws:policy/PowerUserAccess"],
        RoleTemplate.SecurityAudit => ["arn:aws:iam::aws:policy/SecurityAudit"],
        RoleTemplate.Billing => ["arn:aws:iam::aws:policy/job-function/Billing"],
        _ => role.ManagedPolicyArns,
    };

    public static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Trim())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '-');
        }

        return MultipleDashes().Replace(builder.ToString(), "-").Trim('-');
    }

    public static bool IsValidIamName(string name, int maxLength) => name.Length >= 1 && name.Length <= maxLength && IamName().IsMatch(name);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    [GeneratedRegex("-{2,}")]
    private static partial Regex MultipleDashes();

    [GeneratedRegex("^[\\w+=,.@-]+$")]
    private static partial Regex IamName();
}
