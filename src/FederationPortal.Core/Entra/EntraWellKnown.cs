namespace FederationPortal.Core.Entra;

/// <summary>Well-known values of the AWS gallery app and of the SAML federation with AWS.</summary>
public static class EntraWellKnown
{
    /// <summary>"AWS Single-Account Access" (formerly "Amazon Web Services (AWS)").</summary>
    public const string AwsSingleAccountTemplateId = "8b1025e4-1dd2-430b-a150-2ef79cd700f5";

    /// <summary>IAM Identity Center: a different model, not the one the portal sets up.</summary>
    public const string AwsIdentityCenterTemplateId = "21ed01d2-ec13-4e9e-86c1-cd546719ebc4";

    public const string AwsSignInUrl = "https://signin.aws.amazon.com/saml";

    public const string RoleClaim = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameClaim = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    public const string SessionDurationClaim = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

    public const string AwsSynchronizationTemplateId = "aws";

    /// <summary>The claims mapping policy definition AWS needs (constants use <c>Value</c>, not <c>ID</c>).</summary>
    public static string AwsClaimsMappingDefinition(int sessionDurationSeconds = 3600) =>
        "{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"true\",\"ClaimsSchema\":[" +
        "{\"Source\":\"user\",\"ID\":\"assignedroles\",\"SamlClaimType\":\"" + RoleClaim + "\"}," +
        "{\"Source\":\"user\",\"ID\":\"userprincipalname\",\"SamlClaimType\":\"" + RoleSessionNameClaim + "\"}," +
        "{\"Value\":\"" + sessionDurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\",\"SamlClaimType\":\"" + SessionDurationClaim + "\"}]}}";
}
