using System.Net;

namespace FederationPortal.Core.Aws;

/// <summary>An error answered by AWS (or the sandbox): the AWS error code (e.g. <c>NoSuchEntity</c>), its message and HTTP status.</summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(string code, string message, HttpStatusCode httpStatus, string? requestId = null, Exception? innerException = null)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
        AwsMessage = message;
        HttpStatus = httpStatus;
        RequestId = requestId;
    }

    public AwsServiceException()
        : this("Unknown", "Unknown AWS error", HttpStatusCode.InternalServerError)
    {
    }

    public AwsServiceException(string message)
        : this("Unknown", message, HttpStatusCode.InternalServerError)
    {
    }

    public AwsServiceException(string message, Exception innerException)
        : this("Unknown", message, HttpStatusCode.InternalServerError, null, innerException)
    {
    }

    /// <summary>The AWS error code, e.g. <c>EntityAlreadyExists</c>, <c>AccessDenied</c>, <c>InvalidIdentityToken</c>.</summary>
    public string Code { get; }

    /// <summary>The message AWS gave, without the code.</summary>
    public string AwsMessage { get; }

    public HttpStatusCode HttpStatus { get; }

    public string? RequestId { get; }

    /// <summary>True for errors worth retrying: throttling and server faults.</summary>
    public bool IsTransient => Code is "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "ServiceUnavailable" or "ServiceFailure" or "InternalFailure"
        || (int)HttpStatus >= 500;
}
