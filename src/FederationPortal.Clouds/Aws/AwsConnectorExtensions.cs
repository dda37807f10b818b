using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Clouds.Aws;

/// <summary>The AWS connector: IAM over SigV4-signed Query calls, STS through AWSSDK.SecurityToken. (Owned by issue P2.)</summary>
internal static class AwsConnectorExtensions
{
    public static IServiceCollection AddAwsConnector(this IServiceCollection services) => services;
}
