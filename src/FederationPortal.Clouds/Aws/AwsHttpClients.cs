using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Clouds.Aws;

/// <summary>
/// The AWS connectors' HTTP clients, registered once through IHttpClientFactory: IAM (Query) and CloudTrail (JSON 1.1)
/// signed per request by <see cref="AwsSigV4Handler"/>, STS for the SDK (which signs itself), all over
/// <see cref="CloudTransport"/>. Retries are the connectors' (<see cref="AwsRetryPolicy"/>), because only they know
/// which calls may be repeated and how to recognise a lost response's success.
/// </summary>
internal static class AwsHttpClients
{
    public const string Iam = "aws-iam";
    public const string CloudTrail = "aws-cloudtrail";
    public const string Sts = "aws-sts";

    public static IServiceCollection AddAwsHttpClients(this IServiceCollection services)
    {
        services.AddTransient<AwsSigV4Handler>();
        foreach (var name in new[] { Iam, CloudTrail })
        {
            services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan) // each attempt has its own timeout
                .ConfigurePrimaryHttpMessageHandler(CloudTransport.PrimaryHandler)
                .AddHttpMessageHandler<AwsSigV4Handler>();
        }

        services.AddHttpClient(Sts).ConfigurePrimaryHttpMessageHandler(CloudTransport.PrimaryHandler);
        return services;
    }

    /// <summary>One signing client over <paramref name="transport"/>, for a caller that brings its own (tests, tools).</summary>
    public static Func<HttpClient> Over(HttpMessageHandler transport)
    {
        var client = new HttpClient(new AwsSigV4Handler { InnerHandler = transport }) { Timeout = Timeout.InfiniteTimeSpan };
        return () => client;
    }
}
