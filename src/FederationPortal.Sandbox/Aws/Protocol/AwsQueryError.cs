using System.Net;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>An error the emulated AWS answers with an <c>ErrorResponse</c> document, exactly as AWS's Query protocol does.</summary>
internal sealed class AwsQueryError(string code, string message, HttpStatusCode status, bool senderFault = true) : Exception(message)
{
    public string Code { get; } = code;

    public HttpStatusCode Status { get; } = status;

    public bool SenderFault { get; } = senderFault;

    public static AwsQueryError NoSuchEntity(string message) => new("NoSuchEntity", message, HttpStatusCode.NotFound);

    public static AwsQueryError EntityAlreadyExists(string message) => new("EntityAlreadyExists", message, HttpStatusCode.Conflict);

    public static AwsQueryError DeleteConflict(string message) => new("DeleteConflict", message, HttpStatusCode.Conflict);

    public static AwsQueryError LimitExceeded(string message) => new("LimitExceeded", message, HttpStatusCode.Conflict);

    public static AwsQueryError MalformedPolicyDocument(string message) => new("MalformedPolicyDocument", message, HttpStatusCode.BadRequest);

    public static AwsQueryError InvalidInput(string message) => new("InvalidInput", message, HttpStatusCode.BadRequest);

    public static AwsQueryError Validation(string message) => new("ValidationError", message, HttpStatusCode.BadRequest);

    public static AwsQueryError AccessDenied(string message) => new("AccessDenied", message, HttpStatusCode.Forbidden);

    public static AwsQueryError SignatureDoesNotMatch(string message) => new("SignatureDoesNotMatch", message, HttpStatusCode.Forbidden);

    public static AwsQueryError InvalidClientTokenId() => new("InvalidClientTokenId", "The security token included in the request is invalid.", HttpStatusCode.Forbidden);

    /// <summary>One constraint violation, worded as AWS words them.</summary>
    public static AwsQueryError Constraint(string? value, string member, string constraint)
        => Validation($"1 validation error detected: Value {(value is null ? "null" : $"'{value}'")} at '{member}' failed to satisfy constraint: {constraint}");
}
