using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Sandbox.Aws;

/// <summary>The emulated AWS account: IAM and STS on the AWS Query protocol. (Owned by issue P2.)</summary>
internal static class SandboxAwsExtensions
{
    public static IServiceCollection AddSandboxAws(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSandboxAws(this IEndpointRouteBuilder sandbox) => sandbox;
}
