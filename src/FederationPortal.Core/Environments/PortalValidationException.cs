using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Environments;

/// <summary>Raised for input that cannot be accepted; names the field and the fix.</summary>
public sealed class PortalValidationException(IReadOnlyDictionary<string, string> errors)
    : Exception(string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value}")))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}
