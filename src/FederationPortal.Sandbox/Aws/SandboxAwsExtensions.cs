using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws;

/// <summary>
/// The emulated AWS account: IAM and STS on the AWS Query protocol, CloudTrail on the JSON 1.1 protocol. Every
/// <c>AssumeRoleWithSAML</c> and every mutating IAM call is recorded in CloudTrail here, in the request pipeline.
/// </summary>
internal static class SandboxAwsExtensions
{
    private const string IamVersion = "2010-05-08";
    private const string StsVersion = "2011-06-15";
    private const string CloudTrailTargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";

    public static IServiceCollection AddSandboxAws(this IServiceCollection services)
    {
        services.AddSingleton<SandboxIamState>();
        services.AddSingleton<SigV4Verifier>();
        services.AddSingleton<SandboxIamService>();
        services.AddSingleton<SandboxStsService>();
        services.AddSingleton<SandboxFaultInjector>();
        services.AddSingleton<CloudTrailRecorder>();
        services.AddSingleton<SandboxCloudTrailService>();
        return services;
    }

    /// <summary>
    /// Maps <c>/aws/iam</c> and <c>/aws/sts</c> (Query protocol) and <c>/aws/cloudtrail</c> (JSON 1.1 protocol);
    /// SigV4, not the portal cookie, authenticates.
    /// </summary>
    public static IEndpointRouteBuilder MapSandboxAws(this IEndpointRouteBuilder sandbox)
    {
        sandbox.MapMethods("/aws/iam", ["GET", "POST"], HandleIamAsync).AllowAnonymous().DisableAntiforgery();
        sandbox.MapMethods("/aws/sts", ["GET", "POST"], HandleStsAsync).AllowAnonymous().DisableAntiforgery();
        sandbox.MapPost("/aws/cloudtrail", HandleCloudTrailAsync).AllowAnonymous().DisableAntiforgery();
        return sandbox;
    }

    private static Task HandleIamAsync(
        HttpContext context, SandboxIamService iam, SigV4Verifier verifier, CloudTrailRecorder trail, SandboxFaultInjector faults, ILoggerFactory loggers)
        => ServeAsync(context, AwsXml.Iam, IamVersion, faults, loggers, (request, body, requestId) =>
        {
            if (!iam.Knows(request.Action))
            {
                throw new AwsQueryError("InvalidAction", $"Could not find operation {request.Action} for version {IamVersion}", HttpStatusCode.BadRequest);
            }

            var caller = verifier.Verify(context.Request, body, "iam", "us-east-1");
            IReadOnlyList<object?>? result;
            try
            {
                result = iam.Handle(request, caller)?.ToList();
            }
            catch (AwsQueryError error)
            {
                trail.RecordIam(context, request, caller, requestId, result: null, error);
                throw;
            }

            trail.RecordIam(context, request, caller, requestId, result, error: null);
            return result;
        });

    private static Task HandleStsAsync(
        HttpContext context, SandboxStsService sts, SigV4Verifier verifier, CloudTrailRecorder trail, SandboxFaultInjector faults, ILoggerFactory loggers)
        => ServeAsync(context, AwsXml.Sts, StsVersion, faults, loggers, (request, body, requestId) =>
        {
            switch (request.Action)
            {
                case "AssumeRoleWithSAML":
                    IReadOnlyList<object?> result;
                    try
                    {
                        result = sts.AssumeRoleWithSaml(request).ToList();
                    }
                    catch (AwsQueryError error)
                    {
                        trail.RecordAssumeRoleWithSaml(context, request, requestId, result: null, error);
                        throw;
                    }

                    trail.RecordAssumeRoleWithSaml(context, request, requestId, result, error: null);
                    return result;
                case "GetCallerIdentity":
                    return sts.GetCallerIdentity(verifier.Verify(context.Request, body, "sts", requiredRegion: null));
                default:
                    throw new AwsQueryError("InvalidAction", $"Could not find operation {request.Action} for version {StsVersion}", HttpStatusCode.BadRequest);
            }
        });

    /// <summary>
    /// CloudTrail on the JSON 1.1 protocol: the operation in <c>X-Amz-Target</c>, the input as a JSON body, errors as
    /// <c>{"__type":…,"message":…}</c>. The caller needs <c>cloudtrail:LookupEvents</c> like any IAM action.
    /// </summary>
    private static async Task HandleCloudTrailAsync(
        HttpContext context, SandboxCloudTrailService cloudTrail, SandboxIamService iam, SigV4Verifier verifier, SandboxFaultInjector faults, ILoggerFactory loggers)
    {
        var requestId = Guid.NewGuid().ToString();
        var logger = loggers.CreateLogger("FederationPortal.Sandbox.Aws");
        var status = HttpStatusCode.OK;
        JsonObject answer;
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            await faults.DelayAsync(context.RequestAborted);
            if (faults.Draw() is { } fault)
            {
                throw fault;
            }

            var caller = verifier.Verify(context.Request, body, "cloudtrail", "us-east-1");
            // Smithy's AWS JSON 1.1 names the operation as <ServiceShape>.<Operation> (CloudTrail_20131101.LookupEvents);
            // botocore-based clients (the AWS CLI) prefix the shape with its namespace. Both are CloudTrail's.
            var dot = target.LastIndexOf('.');
            var service = dot < 0 ? "" : target[..dot];
            if (service != CloudTrailTargetPrefix && service != CloudTrailTargetPrefix[(CloudTrailTargetPrefix.LastIndexOf('.') + 1)..])
            {
                throw new AwsQueryError("UnknownOperationException", "", HttpStatusCode.BadRequest);
            }

            var operation = target[(dot + 1)..];
            if (operation != "LookupEvents")
            {
                throw new AwsQueryError("UnsupportedOperationException", $"The sandbox CloudTrail does not support {operation}; it answers LookupEvents only.", HttpStatusCode.BadRequest);
            }

            iam.Authorize(caller, "cloudtrail:LookupEvents", "*");
            answer = cloudTrail.LookupEvents(ReadJsonObject(body));
        }
        catch (AwsQueryError error)
        {
            var code = JsonErrorCode(error.Code);
            status = error.Status == HttpStatusCode.Forbidden ? HttpStatusCode.BadRequest : error.Status;
            var message = code == "MissingAuthenticationTokenException" ? "Missing Authentication Token" : error.Message;
            answer = new JsonObject { ["__type"] = code, ["message"] = message };
            logger.LogInformation("Sandbox CloudTrail {Target} answered {Code} ({Status}), request {RequestId}", target, code, (int)status, requestId);
        }

        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(answer.ToJsonString(), Encoding.UTF8, context.RequestAborted);
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

    private static async Task ServeAsync(
        HttpContext context, AwsXml xml, string version, SandboxFaultInjector faults, ILoggerFactory loggers, Func<AwsQueryRequest, byte[], string, IEnumerable<object?>?> handle)
    {
        var requestId = Guid.NewGuid().ToString();
        var logger = loggers.CreateLogger("FederationPortal.Sandbox.Aws");
        XDocument document;
        var status = HttpStatusCode.OK;
        string action = "";
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            await faults.DelayAsync(context.RequestAborted);
            if (faults.Draw() is { } fault)
            {
                throw fault;
            }

            var request = new AwsQueryRequest(Parameters(context.Request, body));
            action = request.Action;
            if (request.Optional("Version") != version || action.Length == 0)
            {
                throw new AwsQueryError("InvalidAction", $"Could not find operation {action} for version {request.Optional("Version") ?? "NO_VERSION_SPECIFIED"}", HttpStatusCode.BadRequest);
            }

            document = xml.Response(action, handle(request, body, requestId), requestId);
        }
        catch (AwsQueryError error)
        {
            status = error.Status;
            document = xml.Error(error, requestId);
            logger.LogInformation("Sandbox AWS {Action} answered {Code} ({Status}), request {RequestId}", action, error.Code, (int)error.Status, requestId);
        }

        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var text = document.Declaration + document.ToString(SaveOptions.DisableFormatting);
        await context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }

    private static Dictionary<string, string> Parameters(HttpRequest request, byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            parameters[key] = value.ToString();
        }

        if (body.Length > 0 && (request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[key] = value.ToString();
            }
        }

        return parameters;
    }
}
