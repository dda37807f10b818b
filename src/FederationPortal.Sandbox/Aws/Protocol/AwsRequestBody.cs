using Microsoft.AspNetCore.Http;

namespace FederationPortal.Sandbox.Aws.Protocol;

/// <summary>What both protocols do first: read the whole body (SigV4 hashes it) and let the fault injector delay or fail the call.</summary>
internal static class AwsRequestBody
{
    public static async Task<byte[]> ReadAsync(HttpContext context, SandboxFaultInjector faults)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        await faults.DelayAsync(context.RequestAborted);
        if (faults.Draw() is { } fault)
        {
            throw fault;
        }

        return buffer.ToArray();
    }
}
