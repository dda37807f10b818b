using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>
/// The AWS JSON 1.1 protocol (CloudTrail's): the operation in <c>X-Amz-Target</c>, the input as a JSON body, errors as
/// <c>{"__type":…,"message":…}</c> with the JSON protocols' names for the authentication and throttling errors.
/// </summary>
internal static class AwsJsonProtocol
{
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>Serves one JSON 1.1 request; <paramref name="handle"/> gets the <c>X-Amz-Target</c>, the raw body (for SigV4) and the parsed input.</summary>
    public static async Task ServeAsync(
        HttpContext context, string service, SandboxFaultInjector faults, ILoggerFactory loggers, Func<string, byte[], Func<JsonObject>, JsonObject> handle)
    {
        var requestId = Guid.NewGuid().ToString();
        var logger = loggers.CreateLogger("FederationPortal.Sandbox.Aws");
        var status = HttpStatusCode.OK;
        JsonObject answer;
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        try
        {
            var body = await AwsRequestBody.ReadAsync(context, faults);
            answer = handle(target, body, () => ReadJsonObject(body));
        }
        catch (AwsQueryError error)
        {
            var code = JsonErrorCode(error.Code);
            status = error.Status == HttpStatusCode.Forbidden ? HttpStatusCode.BadRequest : error.Status;
            var message = code == "MissingAuthenticationTokenException" ? "Missing Authentication Token" : error.Message;
            answer = new JsonObject { ["__type"] = code, ["message"] = message };
            logger.LogInformation("Sandbox {Service} {Target} answered {Code} ({Status}), request {RequestId}", service, target, code, (int)status, requestId);
        }

        context.Response.StatusCode = (int)status;
        context.Response.ContentType = ContentType;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(answer.ToJsonString(), Encoding.UTF8, context.RequestAborted);
    }

    /// <summary>
    /// The operation an <c>X-Amz-Target</c> names for a service. Smithy's AWS JSON 1.1 names it as
    /// <c>&lt;ServiceShape&gt;.&lt;Operation&gt;</c> (<c>CloudTrail_20131101.LookupEvents</c>, what the official SDKs send);
    /// botocore-based clients (the AWS CLI) prefix the shape with its namespace. Both are the service's.
    /// </summary>
    public static string OperationOf(string target, string qualifiedServiceShape)
    {
        var dot = target.LastIndexOf('.');
        var service = dot < 0 ? "" : target[..dot];
        var shape = qualifiedServiceShape[(qualifiedServiceShape.LastIndexOf('.') + 1)..];
        if (service != qualifiedServiceShape && service != shape)
        {
            throw new AwsQueryError("UnknownOperationException", "", HttpStatusCode.BadRequest);
        }

        return target[(dot + 1)..];
    }

    private static JsonObject ReadJsonObject(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new AwsQueryError("SerializationException", "Start of structure or map found where not expected.", HttpStatusCode.BadRequest);
        }
        catch (JsonException)
        {
            throw new AwsQueryError("SerializationException", "Unable to parse the request body as JSON.", HttpStatusCode.BadRequest);
        }
    }

    /// <summary>The JSON protocols' names for the authentication and throttling errors the Query protocol names otherwise.</summary>
    private static string JsonErrorCode(string queryCode) => queryCode switch
    {
        "InvalidClientTokenId" => "UnrecognizedClientException",
        "SignatureDoesNotMatch" => "InvalidSignatureException",
        "MissingAuthenticationToken" => "MissingAuthenticationTokenException",
        "IncompleteSignature" => "IncompleteSignatureException",
        "ExpiredToken" => "ExpiredTokenException",
        "AccessDenied" => "AccessDeniedException",
        "Throttling" => "ThrottlingException",
        "ServiceUnavailable" => "ServiceUnavailableException",
        "ServiceFailure" => "InternalFailure",
        _ => queryCode,
    };
}
