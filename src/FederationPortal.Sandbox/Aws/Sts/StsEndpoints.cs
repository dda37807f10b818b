using FederationPortal.Sandbox.Aws.CloudTrail;
using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FederationPortal.Sandbox.Aws.Sts;

/// <summary>
/// STS's route on the Query protocol: <c>AssumeRoleWithSAML</c> is unsigned (the SAML response is the credential) and
/// recorded in CloudTrail; <c>GetCallerIdentity</c> is signed for any region.
/// </summary>
internal static class StsEndpoints
{
    public const string Version = "2011-06-15";

    public static Task HandleAsync(
        HttpContext context, SandboxStsService sts, SigV4Verifier verifier, CloudTrailRecorder trail, SandboxFaultInjector faults, ILoggerFactory loggers)
        => AwsQueryProtocol.ServeAsync(context, AwsXml.Sts, Version, faults, loggers, (request, body, requestId) =>
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
                    throw AwsQueryProtocol.UnknownAction(request.Action, Version);
            }
        });
}
