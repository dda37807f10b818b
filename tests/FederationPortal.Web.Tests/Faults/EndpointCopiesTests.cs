using FederationPortal.Clouds;
using FederationPortal.Core.Aws;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using FederationPortal.Core.Clouds;

namespace FederationPortal.Web.Tests.Faults;

public sealed class EndpointCopiesTests
{
    /// <summary>
    /// Found by the kill suite: at start, resumed operations call IAM from many threads while the endpoints provider
    /// hands out a new (equal) endpoints object per caller; the IAM client took each copy for a change of settings and
    /// disposed the HTTP client the other calls were using (ObjectDisposedException, action failed).
    /// </summary>
    [Fact]
    public async Task Concurrent_iam_calls_survive_the_endpoints_provider_handing_out_equal_copies()
    {
        await using var host = new PortalHost(configureServices: services =>
        {
            var descriptor = services.Last(d => d.ServiceType == typeof(ICloudEndpointsProvider));
            var implementation = descriptor.ImplementationType!;
            services.Remove(descriptor);
            services.AddSingleton(implementation);
            services.AddSingleton<ICloudEndpointsProvider>(sp => new CopyingProvider((ICloudEndpointsProvider)sp.GetRequiredService(implementation)));
        });
        _ = host.BaseAddress;
        var iam = host.Services.GetRequiredService<IAwsIam>();

        var calls = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => iam.ListRolesAsync(cancellationToken: TestContext.Current.CancellationToken))));

        Assert.All(calls, roles => Assert.NotNull(roles));
    }

    private sealed class CopyingProvider(ICloudEndpointsProvider inner) : ICloudEndpointsProvider
    {
        public CloudEndpoints GetEndpoints() => inner.GetEndpoints() with { };
    }
}
