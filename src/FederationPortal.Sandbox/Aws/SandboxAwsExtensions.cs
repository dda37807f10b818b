using FederationPortal.Sandbox.Aws.CloudTrail;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.Sandbox.Aws.Protocol;
using FederationPortal.Sandbox.Aws.Sts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Sandbox.Aws;

/// <summary>
/// The emulated AWS account, one folder per service (moto's layout): IAM and STS on the Query protocol, CloudTrail on
/// JSON 1.1, both protocols in <c>Protocol/</c>. This is the routing table; every <c>AssumeRoleWithSAML</c> and every
/// mutating IAM call is recorded in CloudTrail by the service's route.
/// </summary>
internal static class SandboxAwsExtensions
{
    public static IServiceCollection AddSandboxAws(this IServiceCollection services)
    {
        services.AddSingleton<SandboxIamState>();
        services.AddSingleton<SigV4Verifier>();
        services.AddSingleton<SandboxIamService>();
        services.AddSingleton<SandboxStsService>();
        services.AddSingleton<SandboxFaultInjector>();
        services.AddSingleton<CloudTrailRecorder>();
        services.AddSingleton<SandboxCloudTrailService>();
        return services;
    }

    /// <summary>Maps <c>/aws/iam</c>, <c>/aws/sts</c> and <c>/aws/cloudtrail</c>; SigV4, not the portal cookie, authenticates.</summary>
    public static IEndpointRouteBuilder MapSandboxAws(this IEndpointRouteBuilder sandbox)
    {
        sandbox.MapMethods("/aws/iam", ["GET", "POST"], IamEndpoints.HandleAsync).AllowAnonymous().DisableAntiforgery();
        sandbox.MapMethods("/aws/sts", ["GET", "POST"], StsEndpoints.HandleAsync).AllowAnonymous().DisableAntiforgery();
        sandbox.MapPost("/aws/cloudtrail", CloudTrailEndpoints.HandleAsync).AllowAnonymous().DisableAntiforgery();
        return sandbox;
    }
}
