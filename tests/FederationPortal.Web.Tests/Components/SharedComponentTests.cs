using Bunit;
using FederationPortal.Core.Configuration;
using FederationPortal.Web.Components.Shared;

namespace FederationPortal.Web.Tests.Components;

public sealed class SharedComponentTests : PortalComponentTest
{
    [Theory]
    [InlineData(PortalMode.Sandbox, "SANDBOX")]
    [InlineData(PortalMode.Live, "LIVE")]
    public void Mode_badge_names_the_mode(PortalMode mode, string text)
    {
        var badge = Render<ModeBadge>(p => p.Add(b => b.Mode, mode));
        Assert.Equal(text, badge.Find("[data-testid=mode-badge]").TextContent.Trim());
    }
}
