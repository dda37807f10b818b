using MudBlazor;

namespace FederationPortal.Web.Components.Layout;

/// <summary>The portal's palette: AWS orange as the accent on an Entra-blue primary.</summary>
internal static class PortalTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0f6cbd",
            Secondary = "#ff9900",
            AppbarBackground = "#0f3a66",
            Background = "#f6f8fb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5ea8f2",
            Secondary = "#ffb547",
            AppbarBackground = "#10243b",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
