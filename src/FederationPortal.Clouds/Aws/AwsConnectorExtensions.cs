using FederationPortal.Core.Aws;
using FederationPortal.Core.Configuration;
using FederationPortal.Core.Clouds;
using FederationPortal.Core.Monitoring;
using FederationPortal.Core.Saml;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Clouds.Aws;

/// <summary>The AWS connector: IAM over SigV4-signed Query calls, STS through AWSSDK.SecurityToken, CloudTrail over SigV4-signed JSON 1.1 calls. (Owned by issue P2.)</summary>
internal static class AwsConnectorExtensions
{
    public static IServiceCollection AddAwsConnector(this IServiceCollection services)
    {
        services.AddAwsHttpClients();
        services.AddValidatedOptions<AwsRetryOptions>(AwsRetryOptions.SectionName);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<AwsRetryOptions>();
            return new AwsRetryPolicy(sp.GetService<TimeProvider>() ?? TimeProvider.System)
            {
                MaxAttempts = options.MaxAttempts,
                BaseDelay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                AttemptTimeout = options.AttemptTimeout,
            };
        });
        services.AddSingleton(sp => new AwsQueryClient(
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(AwsHttpClients.Iam),
            sp.GetRequiredService<ICloudEndpointsProvider>(),
            endpoints => endpoints.IamEndpoint,
            "iam",
            "2010-05-08",
            sp.GetRequiredService<AwsRetryPolicy>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("FederationPortal.Clouds.Aws.Iam"),
            signingRegion: "us-east-1")); // IAM's global endpoint is signed for us-east-1 whatever Portal:Aws:Region says
        services.AddSingleton<IAwsIam>(sp => new AwsIamConnector(sp.GetRequiredService<AwsQueryClient>()));
        services.AddSingleton<IAwsSts, AwsStsConnector>();
        services.AddSingleton<AwsSdkHttpClientFactory>();
        services.AddSingleton<IAwsCloudTrail>(sp => new AwsCloudTrailConnector(new AwsJsonClient(
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(AwsHttpClients.CloudTrail),
            sp.GetRequiredService<ICloudEndpointsProvider>(),
            endpoints => endpoints.CloudTrailEndpoint ?? new Uri($"https://cloudtrail.{endpoints.AwsRegion}.amazonaws.com/"),
            "cloudtrail",
            AwsCloudTrailConnector.TargetPrefix,
            sp.GetRequiredService<AwsRetryPolicy>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("FederationPortal.Clouds.Aws.CloudTrail"),
            signingRegionOf: endpoints => (endpoints.CloudTrailEndpoint is { } endpoint ? AwsJsonClient.RegionOf(endpoint, "cloudtrail") : null) ?? endpoints.AwsRegion)));
        services.AddSingleton<IAwsIamClientFactory, AwsIamClientFactory>();

        // Explains a pasted SAMLResponse with the rules AWS applies (the sandbox STS uses the same validator).
        services.TryAddSingleton(sp => new SamlResponseValidator(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
