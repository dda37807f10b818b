namespace FederationPortal.Core.Aws;

/// <summary>
/// IAM acting as other credentials than the portal's own, e.g. the provisioning user's new access key, to prove it
/// can call <c>iam:ListRoles</c> as Entra's provisioning connector will ("Test Connection") before handing it over.
/// </summary>
public interface IAwsIamClientFactory
{
    IAwsIam ForCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null);
}
