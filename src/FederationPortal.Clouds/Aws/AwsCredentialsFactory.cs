using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Clouds.Aws;

/// <summary>The AWS SDK credentials for a <see cref="CloudEndpoints"/>: explicit keys, a named profile, or the SDK's standard chain.</summary>
internal static class AwsCredentialsFactory
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(AwsKeyPair? Keys, string? Profile), AWSCredentials> Resolved = new();

    /// <summary>
    /// <see cref="For(CloudEndpoints)"/>, resolved once per distinct credentials: a profile or the standard chain is read
    /// from files and the environment, which should not happen on every request. (Credentials objects refresh themselves.)
    /// </summary>
    public static AWSCredentials Cached(CloudEndpoints endpoints)
        => Resolved.GetOrAdd((endpoints.AwsCredentials, endpoints.AwsCredentials is null ? endpoints.AwsProfile : null), _ => For(endpoints));

    public static AWSCredentials For(CloudEndpoints endpoints)
    {
        if (endpoints.AwsCredentials is { } keys)
        {
            return For(keys);
        }

        if (!string.IsNullOrWhiteSpace(endpoints.AwsProfile))
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(endpoints.AwsProfile, out var profile)
                ? profile
                : throw new InvalidOperationException($"The AWS profile '{endpoints.AwsProfile}' (Portal:Aws:Profile) was not found in the shared config or credentials file.");
        }

        return DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
    }

    public static AWSCredentials For(AwsKeyPair keys)
        => string.IsNullOrEmpty(keys.SessionToken)
            ? new BasicAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey)
            : new SessionAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken);
}
