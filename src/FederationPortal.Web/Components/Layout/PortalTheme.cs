using MudBlazor;

namespace FederationPortal.Web.Components.Layout;

/// <summary>
/// The portal's palette: AWS orange as the accent on an Entra-blue primary. Every text colour (and every text on a
/// filled colour) reaches WCAG AA's 4.5:1 on the backgrounds it is drawn on; MudBlazor's defaults for warning, success,
/// secondary text and the dark primary do not (the accessibility tests run axe-core on every page in both themes).
/// </summary>
internal static class PortalTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0f6cbd",
            Secondary = "#ff9900",
            SecondaryContrastText = "#000000",
            AppbarBackground = "#0f3a66",
            Background = "#f6f8fb",
            TextSecondary = "#5f6368",
            Info = "#0265a3",
            Success = "#107c10",
            Warning = "#a35400",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#72b4f5",
            PrimaryContrastText = "#0b1a2b",
            Secondary = "#ffb547",
            SecondaryContrastText = "#000000",
            AppbarBackground = "#10243b",
            TextSecondary = "#b4b5ba",
            TableHover = "#383944",
            // MudBlazor's dark stripe (20 % white) leaves the striped rows' text and links under 4.5:1.
            TableStriped = "rgba(255,255,255,0.04)",
            Info = "#4fc3f7",
            InfoContrastText = "#000000",
            Success = "#5ec26a",
            SuccessContrastText = "#000000",
            Warning = "#ffb547",
            WarningContrastText = "#000000",
            Error = "#ff8a80",
            ErrorContrastText = "#000000",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
