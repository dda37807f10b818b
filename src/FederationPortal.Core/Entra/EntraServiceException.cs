namespace FederationPortal.Core.Entra;

/// <summary>A call to Entra (Graph, the token endpoint or the metadata endpoint) failed; carries Graph's error code and HTTP status.</summary>
public sealed class EntraServiceException : Exception
{
    public EntraServiceException(string code, int statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        StatusCode = statusCode;
    }

    /// <summary>Graph's error code, e.g. <c>Request_ResourceNotFound</c>, <c>CannotDeleteOrUpdateEnabledEntitlement</c>.</summary>
    public string Code { get; }

    /// <summary>The HTTP status (0 when no response was received).</summary>
    public int StatusCode { get; }

    public bool IsNotFound => StatusCode == 404;

    public override string ToString() => $"{nameof(EntraServiceException)} {StatusCode} {Code}: {Message}";
}
