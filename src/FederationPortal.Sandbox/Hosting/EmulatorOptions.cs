using System.ComponentModel.DataAnnotations;

namespace FederationPortal.Sandbox.Hosting;

/// <summary>The <c>Emulator</c> section: how the emulator runs on its own (<c>dotnet run --project src/FederationPortal.Emulator</c>).</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Where the emulated tenant and account keep their state (<c>sandbox.db</c>); relative to the working folder.</summary>
    [Required(ErrorMessage = "Emulator:DataDirectory is required: a folder for the emulator's state, e.g. data/emulator.")]
    public string DataDirectory { get; set; } = Path.Combine("data", "emulator");

    /// <summary>The address served when no <c>--urls</c> / <c>ASPNETCORE_URLS</c> is given.</summary>
    [Required, Url(ErrorMessage = "Emulator:Url must be an absolute http(s) URL, e.g. http://localhost:5090.")]
    public string Url { get; set; } = "http://localhost:5090";

    /// <summary>
    /// Proxies (IP addresses) whose <c>X-Forwarded-Proto</c>/<c>-Host</c> are believed, besides loopback: links the
    /// emulator returns (<c>@odata.nextLink</c>, metadata URLs) then name the proxy's https address.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}
