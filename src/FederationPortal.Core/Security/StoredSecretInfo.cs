using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>What the Settings page shows of a stored secret: never its value.</summary>
public sealed record StoredSecretInfo(string Name, string Label, bool IsStored, string? UpdatedBy, DateTimeOffset? UpdatedAt);
