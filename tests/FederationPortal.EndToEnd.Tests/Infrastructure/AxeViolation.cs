namespace FederationPortal.EndToEnd.Tests.Infrastructure;

/// <summary>One rule that failed on a page, with the elements that fail it.</summary>
public sealed record AxeViolation(string Id, string? Impact, string Help, IReadOnlyList<AxeNode> Nodes)
{
    public bool IsSeriousOrCritical => Impact is "serious" or "critical";
}
