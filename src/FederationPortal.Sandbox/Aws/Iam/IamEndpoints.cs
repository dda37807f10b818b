using FederationPortal.Sandbox.Aws.CloudTrail;
using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Iam;

/// <summary>IAM's route: the Query protocol, SigV4 for <c>us-east-1</c>, and every call recorded in CloudTrail, also when it fails.</summary>
internal static class IamEndpoints
{
    public const string Version = "2010-05-08";

    public static Task HandleAsync(
        HttpContext context, SandboxIamService iam, SigV4Verifier verifier, CloudTrailRecorder trail, SandboxFaultInjector faults, ILoggerFactory loggers)
        => AwsQueryProtocol.ServeAsync(context, AwsXml.Iam, Version, faults, loggers, (request, body, requestId) =>
        {
            if (!iam.Knows(request.Action))
            {
                throw AwsQueryProtocol.UnknownAction(request.Action, Version);
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
}
