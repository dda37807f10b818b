namespace FederationPortal.EndToEnd.Tests.Infrastructure;

/// <summary>An element that fails a rule: its CSS selector and axe's summary of how to fix it.</summary>
public sealed record AxeNode(string Target, string Summary);
