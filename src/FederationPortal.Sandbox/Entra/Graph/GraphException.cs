namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>A Graph error the emulated tenant answers with: HTTP status, Graph's code and message.</summary>
internal sealed class GraphException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static GraphException NotFound(string id) => new(404, "Request_ResourceNotFound",
        $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    public static GraphException BadRequest(string message) => new(400, "Request_BadRequest", message);

    public static GraphException InvalidValue(string property) => new(400, "Request_BadRequest",
        $"Invalid value specified for property '{property}' of resource 'ServicePrincipal'.");
}
