using FederationPortal.Core.Clouds;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox;

/// <summary>
/// The emulator's own <c>/sandbox/…</c> endpoints, on the address Kestrel actually bound (or <c>Sandbox:BaseUrl</c>),
/// with the emulated account's administrator key and the emulated tenant's Graph client.
/// </summary>
internal sealed class SandboxCloudEndpointsProvider(IOptions<SandboxOptions> options, IServiceProvider services) : ICloudEndpointsProvider
{
    private CloudEndpoints? cached;

    public CloudEndpoints GetEndpoints()
    {
        if (cached is not null)
        {
            return cached;
        }

        var endpoints = Build();
        // Before Kestrel binds, a dynamic port reads as 0: use it, but do not keep it.
        if (endpoints.IamEndpoint.Port != 0)
        {
            cached = endpoints;
        }

        return endpoints;
    }

    private CloudEndpoints Build()
    {
        var sandbox = options.Value;
        var baseUrl = BaseUrl().TrimEnd('/');
        return new CloudEndpoints
        {
            IamEndpoint = new Uri($"{baseUrl}/sandbox/aws/iam"),
            StsEndpoint = new Uri($"{baseUrl}/sandbox/aws/sts"),
            CloudTrailEndpoint = new Uri($"{baseUrl}/sandbox/aws/cloudtrail"),
            AwsRegion = "us-east-1",
            AwsCredentials = new AwsKeyPair(sandbox.AdminAccessKeyId, sandbox.AdminSecretAccessKey),
            GraphBaseUrl = new Uri($"{baseUrl}/sandbox/graph/v1.0/"),
            LoginBaseUrl = new Uri($"{baseUrl}/sandbox/login/"),
            TenantId = sandbox.TenantId,
            ClientId = sandbox.ClientId,
            ClientSecret = sandbox.ClientSecret,
            IsSandbox = true,
        };
    }

    private string BaseUrl()
    {
        if (options.Value.BaseUrl is { Length: > 0 } configured)
        {
            return configured;
        }

        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                      ?? addresses?.FirstOrDefault()
                      ?? throw new InvalidOperationException("The sandbox needs its own address: the server is not listening yet. Set Sandbox:BaseUrl.");

        // A wildcard binding (http://+:5080, http://0.0.0.0:5080, http://[::]:5080) is reached on loopback.
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
