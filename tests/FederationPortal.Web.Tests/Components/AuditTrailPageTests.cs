using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using FederationPortal.Core.Audit;
using FederationPortal.Web.Components.Pages.Audit;

namespace FederationPortal.Web.Tests.Components;

public sealed class AuditTrailPageTests : PortalComponentTest
{
    public AuditTrailPageTests()
    {
        SignInAsReader();
        Render<MudBlazor.MudPopoverProvider>();
    }

    [Fact]
    public async Task Grid_shows_events_from_the_trail()
    {
        await Audit.RecordAsync(new AuditEntry { ActorId = "a", ActorName = "Adele Vance", Action = "auth.signin", Outcome = AuditOutcome.Success }, Xunit.TestContext.Current.CancellationToken);
        await Audit.RecordAsync(new AuditEntry { ActorId = "m", ActorName = "Megan Bowen", Action = "environment.create", Outcome = AuditOutcome.Denied }, Xunit.TestContext.Current.CancellationToken);

        var page = Render<AuditTrail>();

        page.WaitForAssertion(() =>
        {
            var grid = page.Find("[data-testid=audit-grid]");
            Assert.Contains("Adele Vance", grid.TextContent);
            Assert.Contains("environment.create", grid.TextContent);
            Assert.Contains("Denied", grid.TextContent);
        });
    }

    [Fact]
    public void Empty_trail_says_how_to_widen_the_search()
    {
        var page = Render<AuditTrail>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=audit-empty]")));
    }

    [Fact]
    public void Verify_integrity_reports_the_first_broken_event()
    {
        Audit.Integrity = new AuditIntegrityReport(12, 7, "Event 7 was altered after it was written: its content no longer matches its hash.");
        var page = Render<AuditTrail>();

        page.Find("[data-testid=verify-integrity]").Click();

        page.WaitForAssertion(() => Assert.Contains("Broken at event 7", page.Find("[data-testid=integrity-result]").TextContent));
    }

    [Fact]
    public void Export_link_carries_the_filters()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?environmentId=0195f3a0-0000-7000-8000-000000000001");
        var page = Render<AuditTrail>();
        var href = page.Find("[data-testid=export-csv]").GetAttribute("href");
        Assert.Equal("/api/audit/export.csv?environmentId=0195f3a0-0000-7000-8000-000000000001", href);
    }
}
