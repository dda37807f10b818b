namespace FederationPortal.Core.Aws;

/// <summary>AWS STS as the portal uses it: prove a SAML sign-in works, and ask who a set of credentials is.</summary>
public interface IAwsSts
{
    /// <summary>Unsigned call, as in AWS. Failures carry STS's codes (<c>InvalidIdentityToken</c>, <c>AccessDenied</c>, …).</summary>
    Task<AwsSamlSession> AssumeRoleWithSamlAsync(string roleArn, string principalArn, string samlAssertionBase64, int? durationSeconds = null, CancellationToken cancellationToken = default);

    /// <summary>Who the connector's configured credentials are.</summary>
    Task<AwsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default);

    /// <summary>Who the given credentials (e.g. temporary ones from <see cref="AssumeRoleWithSamlAsync"/>) are.</summary>
    Task<AwsCallerIdentity> GetCallerIdentityAsync(string accessKeyId, string secretAccessKey, string? sessionToken, CancellationToken cancellationToken = default);
}
