using FederationPortal.Core.Entra;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Faults;

public sealed class GraphRetryExhaustionTests
{
    [Fact]
    public async Task Graph_throttling_past_the_sdk_retries_surfaces_as_a_transient_entra_error()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Sandbox:Faults:ThrottleRate"] = "1" });
        _ = host.BaseAddress;
        var entra = host.Services.GetRequiredService<IEntraDirectoryService>();

        var error = await Assert.ThrowsAsync<EntraServiceException>(() => entra.GetAwsTemplateAsync(TestContext.Current.CancellationToken));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("TooManyRequests", error.Code);
        Assert.Contains("retry in a moment", error.Message);
    }
}
