using FederationPortal.Clouds;
using FederationPortal.Core.Configuration;
using FederationPortal.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Web.Extensions;

/// <summary>
/// Live: the real AWS and Microsoft endpoints with the configured credentials. Sandbox: this process's own
/// <c>/sandbox/…</c> endpoints (on the address Kestrel actually bound, or <c>Sandbox:BaseUrl</c>) and the sandbox keys.
/// </summary>
internal sealed class PortalCloudEndpointsProvider(
    IOptions<PortalOptions> portalOptions,
    IServiceProvider services,
    IConfiguration configuration) : ICloudEndpointsProvider
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
        var portal = portalOptions.Value;
        if (portal.Mode == PortalMode.Live)
        {
            var entra = portal.Entra;
            var aws = portal.Aws;
            return new CloudEndpoints
            {
                IamEndpoint = new Uri("https://iam.amazonaws.com/"),
                StsEndpoint = new Uri($"https://sts.{aws.Region}.amazonaws.com/"),
                // The console's AssumeRoleWithSAML is a global-service event: LookupEvents shows it in us-east-1 only.
                CloudTrailEndpoint = new Uri("https://cloudtrail.us-east-1.amazonaws.com/"),
                AwsRegion = aws.Region,
                AwsCredentials = string.IsNullOrWhiteSpace(aws.AccessKeyId) ? null : new AwsKeyPair(aws.AccessKeyId, aws.SecretAccessKey!, aws.SessionToken),
                AwsProfile = aws.Profile,
                GraphBaseUrl = new Uri(entra.GraphBaseUrl.TrimEnd('/') + "/"),
                LoginBaseUrl = new Uri(entra.Instance.TrimEnd('/') + "/"),
                TenantId = entra.TenantId!,
                ClientId = entra.ClientId!,
                ClientSecret = entra.ClientSecret,
                ClientCertificatePath = entra.CertificatePath,
                ClientCertificatePassword = entra.CertificatePassword,
                IsSandbox = false,
            };
        }

        var sandbox = services.GetRequiredService<IOptions<SandboxOptions>>().Value;
        var baseUrl = SandboxBaseUrl().TrimEnd('/');
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

    private string SandboxBaseUrl()
    {
        if (configuration["Sandbox:BaseUrl"] is { Length: > 0 } configured)
        {
            return configured;
        }

        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                      ?? addresses?.FirstOrDefault()
                      ?? throw new InvalidOperationException("The sandbox needs the portal's own address: the server is not listening yet. Set Sandbox:BaseUrl.");

        // A wildcard binding (http://+:5080, http://0.0.0.0:5080, http://[::]:5080) is reached on loopback.
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
