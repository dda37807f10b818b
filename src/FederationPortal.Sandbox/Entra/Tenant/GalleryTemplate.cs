using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Graph;

namespace FederationPortal.Sandbox.Entra.Tenant;

/// <summary>An application template of the gallery, as <c>/applicationTemplates</c> serves it.</summary>
internal sealed record GalleryTemplate(string Id, string DisplayName, string Publisher, string HomePageUrl, string[] Categories, string[] SupportedSingleSignOnModes, string[] SupportedProvisioningTypes)
{
    public JsonObject ToJson() => new()
    {
        ["@odata.type"] = "#microsoft.graph.applicationTemplate",
        ["id"] = Id,
        ["displayName"] = DisplayName,
        ["homePageUrl"] = HomePageUrl,
        ["supportedSingleSignOnModes"] = GraphJson.Strings(SupportedSingleSignOnModes),
        ["supportedProvisioningTypes"] = GraphJson.Strings(SupportedProvisioningTypes),
        ["logoUrl"] = $"https://az495088.vo.msecnd.net/app-logo/{DisplayName.ToLowerInvariant().Replace(' ', '-')}_215.png",
        ["categories"] = GraphJson.Strings(Categories),
        ["publisher"] = Publisher,
        ["description"] = null,
    };
}
