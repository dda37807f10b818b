namespace FederationPortal.Core.Configuration;

/// <summary>One row of what Settings shows about the mode: a label, a value and an optional note beside it.</summary>
public sealed record PortalModeDetail(string Label, string Value, string? Note = null);
