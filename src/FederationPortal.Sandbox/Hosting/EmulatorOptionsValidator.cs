using System.Net;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Hosting;

/// <summary>Rules data annotations cannot state: every trusted proxy is an IP address.</summary>
internal sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        var bad = options.TrustedProxies.Where(p => !IPAddress.TryParse(p, out _)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Emulator:TrustedProxies must hold IP addresses; not one: {string.Join(", ", bad)}.");
    }
}
