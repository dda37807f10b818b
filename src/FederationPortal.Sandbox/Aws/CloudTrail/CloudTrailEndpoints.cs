using System.Net;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.CloudTrail;

/// <summary>
/// CloudTrail's route on the JSON 1.1 protocol: SigV4 for <c>us-east-1</c>, then <c>LookupEvents</c>, for which the
/// caller needs <c>cloudtrail:LookupEvents</c> like any IAM action.
/// </summary>
internal static class CloudTrailEndpoints
{
    public const string ServiceShape = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";

    public static Task HandleAsync(
        HttpContext context, SandboxCloudTrailService cloudTrail, SandboxIamService iam, SigV4Verifier verifier, SandboxFaultInjector faults, ILoggerFactory loggers)
        => AwsJsonProtocol.ServeAsync(context, "CloudTrail", faults, loggers, (target, body, input) =>
        {
            var caller = verifier.Verify(context.Request, body, "cloudtrail", "us-east-1");
            var operation = AwsJsonProtocol.OperationOf(target, ServiceShape);
            if (operation != "LookupEvents")
            {
                throw new AwsQueryError("UnsupportedOperationException", $"The sandbox CloudTrail does not support {operation}; it answers LookupEvents only.", HttpStatusCode.BadRequest);
            }

            iam.Authorize(caller, "cloudtrail:LookupEvents", "*");
            return cloudTrail.LookupEvents(input());
        });
}
