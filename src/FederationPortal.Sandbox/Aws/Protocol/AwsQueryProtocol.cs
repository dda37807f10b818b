using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>
/// The AWS Query protocol, shared by IAM and STS (moto's <c>core</c>): parameters from the query string and a form
/// body, <c>Action</c> and <c>Version</c> checked, the service's result wrapped in its response document, an
/// <see cref="AwsQueryError"/> turned into the service's error document. Faults are drawn before the service runs.
/// </summary>
internal static class AwsQueryProtocol
{
    /// <summary>Serves one Query request; <paramref name="handle"/> gets the parsed request, the raw body (for SigV4) and the request id.</summary>
    public static async Task ServeAsync(
        HttpContext context, AwsXml xml, string version, SandboxFaultInjector faults, ILoggerFactory loggers, Func<AwsQueryRequest, byte[], string, IEnumerable<object?>?> handle)
    {
        var requestId = Guid.NewGuid().ToString();
        var logger = loggers.CreateLogger("FederationPortal.Sandbox.Aws");
        XDocument document;
        var status = HttpStatusCode.OK;
        string action = "";
        try
        {
            var body = await AwsRequestBody.ReadAsync(context, faults);
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

    /// <summary>The unknown-action error of a Query service, worded as IAM and STS word it.</summary>
    public static AwsQueryError UnknownAction(string action, string version)
        => new("InvalidAction", $"Could not find operation {action} for version {version}", HttpStatusCode.BadRequest);

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
