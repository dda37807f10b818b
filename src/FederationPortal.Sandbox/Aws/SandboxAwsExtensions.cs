using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws;

/// <summary>The emulated AWS account: IAM and STS on the AWS Query protocol. (Owned by issue P2.)</summary>
internal static class SandboxAwsExtensions
{
    private const string IamVersion = "2010-05-08";
    private const string StsVersion = "2011-06-15";

    public static IServiceCollection AddSandboxAws(this IServiceCollection services)
    {
        services.AddSingleton<SandboxIamState>();
        services.AddSingleton<SigV4Verifier>();
        services.AddSingleton<SandboxIamService>();
        services.AddSingleton<SandboxStsService>();
        services.AddSingleton<SandboxFaultInjector>();
        return services;
    }

    /// <summary>Maps <c>/aws/iam</c> and <c>/aws/sts</c> (Query protocol; SigV4, not the portal cookie, authenticates).</summary>
    public static IEndpointRouteBuilder MapSandboxAws(this IEndpointRouteBuilder sandbox)
    {
        sandbox.MapMethods("/aws/iam", ["GET", "POST"], HandleIamAsync).AllowAnonymous().DisableAntiforgery();
        sandbox.MapMethods("/aws/sts", ["GET", "POST"], HandleStsAsync).AllowAnonymous().DisableAntiforgery();
        return sandbox;
    }

    private static Task HandleIamAsync(HttpContext context, SandboxIamService iam, SigV4Verifier verifier, SandboxFaultInjector faults, ILoggerFactory loggers)
        => ServeAsync(context, AwsXml.Iam, IamVersion, faults, loggers, (request, body) =>
        {
            if (!iam.Knows(request.Action))
            {
                throw new AwsQueryError("InvalidAction", $"Could not find operation {request.Action} for version {IamVersion}", HttpStatusCode.BadRequest);
            }

            var caller = verifier.Verify(context.Request, body, "iam", "us-east-1");
            return iam.Handle(request, caller);
        });

    private static Task HandleStsAsync(HttpContext context, SandboxStsService sts, SigV4Verifier verifier, SandboxFaultInjector faults, ILoggerFactory loggers)
        => ServeAsync(context, AwsXml.Sts, StsVersion, faults, loggers, (request, body) => request.Action switch
        {
            "AssumeRoleWithSAML" => sts.AssumeRoleWithSaml(request),
            "GetCallerIdentity" => sts.GetCallerIdentity(verifier.Verify(context.Request, body, "sts", requiredRegion: null)),
            _ => throw new AwsQueryError("InvalidAction", $"Could not find operation {request.Action} for version {StsVersion}", HttpStatusCode.BadRequest),
        });

    private static async Task ServeAsync(
        HttpContext context, AwsXml xml, string version, SandboxFaultInjector faults, ILoggerFactory loggers, Func<AwsQueryRequest, byte[], IEnumerable<object?>?> handle)
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

            document = xml.Response(action, handle(request, body), requestId);
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
