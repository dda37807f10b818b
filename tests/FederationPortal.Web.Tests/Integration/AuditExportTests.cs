using System.Net;
using FederationPortal.Core.Audit;
using FederationPortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Integration;

public sealed class AuditExportTests : IAsyncLifetime
{
    private readonly PortalHost host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task Export_is_refused_to_anonymous_callers_with_401()
    {
        using var client = host.CreateRealClient();
        var response = await client.GetAsync("api/audit/export.csv", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Export_streams_the_filtered_set_as_csv_with_escaping()
    {
        var audit = host.Services.GetRequiredService<IAuditTrail>();
        await audit.RecordAsync(new AuditEntry { ActorId = "x", ActorName = "Eve, \"the\" tester", Action = "test.csv", Outcome = AuditOutcome.Failure, ErrorMessage = "=HYPERLINK(\"x\")" }, TestContext.Current.CancellationToken);
        await audit.RecordAsync(new AuditEntry { ActorId = "y", ActorName = "Other", Action = "test.other", Outcome = AuditOutcome.Success }, TestContext.Current.CancellationToken);

        using var client = await SandboxSession.SignedInClientAsync(host, SandboxSession.ReaderId);
        var response = await client.GetAsync("api/audit/export.csv?action=test.csv", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimEnd('\n').Split('\n');
        Assert.StartsWith("sequence,timestamp_utc,actor_id,actor,action", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.Contains("\"Eve, \"\"the\"\" tester\"", row);
        Assert.Contains("'=HYPERLINK", row);
        Assert.DoesNotContain("test.other", row);
    }
}
