using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Clouds;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// <see cref="IAwsSts"/> through AWSSDK.SecurityToken (standard retry mode: backoff with jitter on throttling and 5xx),
/// over the portal's <see cref="AwsHttpClients.Sts"/> client.
/// </summary>
internal sealed class AwsStsConnector(ICloudEndpointsProvider endpointsProvider, AwsSdkHttpClientFactory httpClients, ILogger<AwsStsConnector> logger) : IAwsSts
{
    public async Task<AwsSamlSession> AssumeRoleWithSamlAsync(string roleArn, string principalArn, string samlAssertionBase64, int? durationSeconds = null, CancellationToken cancellationToken = default)
    {
        using var client = Client(new AnonymousAWSCredentials());
        var request = new AssumeRoleWithSAMLRequest { RoleArn = roleArn, PrincipalArn = principalArn, SAMLAssertion = samlAssertionBase64, DurationSeconds = durationSeconds };
        var response = await CallAsync(() => client.AssumeRoleWithSAMLAsync(request, cancellationToken), "AssumeRoleWithSAML");
        logger.LogInformation("STS AssumeRoleWithSAML issued {AccessKeyId} for {RoleArn}", response.Credentials.AccessKeyId, roleArn);
        return new AwsSamlSession(
            response.Credentials.AccessKeyId,
            response.Credentials.SecretAccessKey,
            response.Credentials.SessionToken,
            new DateTimeOffset(DateTime.SpecifyKind(response.Credentials.Expiration!.Value, DateTimeKind.Utc).ToUniversalTime()),
            response.AssumedRoleUser.Arn,
            response.AssumedRoleUser.AssumedRoleId,
            response.Subject,
            response.SubjectType,
            response.Issuer,
            response.Audience,
            response.NameQualifier);
    }

    public Task<AwsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default)
        => IdentityAsync(AwsCredentialsFactory.For(endpointsProvider.GetEndpoints()), cancellationToken);

    public Task<AwsCallerIdentity> GetCallerIdentityAsync(string accessKeyId, string secretAccessKey, string? sessionToken, CancellationToken cancellationToken = default)
        => IdentityAsync(AwsCredentialsFactory.For(new AwsKeyPair(accessKeyId, secretAccessKey, sessionToken)), cancellationToken);

    private async Task<AwsCallerIdentity> IdentityAsync(AWSCredentials credentials, CancellationToken cancellationToken)
    {
        using var client = Client(credentials);
        var response = await CallAsync(() => client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken), "GetCallerIdentity");
        return new AwsCallerIdentity(response.Account, response.Arn, response.UserId);
    }

    private AmazonSecurityTokenServiceClient Client(AWSCredentials credentials)
    {
        var endpoints = endpointsProvider.GetEndpoints();
        var config = new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = endpoints.StsEndpoint.ToString(),
            AuthenticationRegion = endpoints.AwsRegion,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 4,
            HttpClientFactory = httpClients, // the portal's transport: no redirects, pooled connections
        };
        return new AmazonSecurityTokenServiceClient(credentials, config);
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string action)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException error)
        {
            throw new AwsServiceException(error.ErrorCode ?? "Unknown", error.Message, error.StatusCode, error.RequestId, error);
        }
        catch (AmazonClientException error)
        {
            throw new AwsServiceException("ClientError", $"STS {action} failed before AWS answered: {error.Message}", System.Net.HttpStatusCode.ServiceUnavailable, null, error);
        }
    }
}
