namespace FederationPortal.Core.Federation;

/// <summary>The inventory's resource types and the stages of the setup wizard.</summary>
public static class ResourceTypes
{
    public const string Application = "entra.application";
    public const string SamlSettings = "entra.sso";
    public const string SigningCertificate = "entra.certificate";
    public const string ClaimsPolicy = "entra.claims-policy";
    public const string SyncJob = "entra.sync-job";
    public const string AppRoles = "entra.app-roles";
    public const string Assignment = "entra.assignment";
    public const string SamlProvider = "aws.saml-provider";
    public const string Role = "aws.role";
    public const string User = "aws.user";
    public const string AccessKey = "aws.access-key";

    public const string SingletonKey = "main";

    /// <summary>Whether the resource lives in Entra (inside the enterprise application), not in AWS.</summary>
    public static bool IsEntra(string type) => type.StartsWith("entra.", StringComparison.Ordinal);
}
