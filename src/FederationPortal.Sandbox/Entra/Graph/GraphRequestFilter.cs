using FederationPortal.Sandbox.Entra.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>Injected latency and faults for the emulated Graph (429 with Retry-After, 503), drawn from a seeded random.</summary>
internal sealed class GraphFaults(IOptionsMonitor<SandboxOptions> options)
{
    private readonly Lock gate = new();
    private Random? random;

    public SandboxFaultOptions Current => options.CurrentValue.Faults;

    /// <summary>0 for none, else the status to answer with.</summary>
    public int Draw()
    {
        var faults = Current;
        if (faults.ThrottleRate <= 0 && faults.ServerErrorRate <= 0)
        {
            return 0;
        }

        double draw;
        lock (gate)
        {
            random ??= new Random(faults.Seed);
            draw = random.NextDouble();
        }

        return draw < faults.ThrottleRate ? 429 : draw < faults.ThrottleRate + faults.ServerErrorRate ? 503 : 0;
    }
}

/// <summary>
/// Every Graph call: request ids, faults and latency, the bearer-token check (401 InvalidAuthenticationToken), and
/// the translation of <see cref="GraphException"/> into Graph's error body.
/// </summary>
internal sealed class GraphRequestFilter(
    SandboxTokenService tokens, GraphFaults faults, DirectoryAuditRecorder audits, TimeProvider time, ILogger<GraphRequestFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var requestId = Guid.NewGuid().ToString();
        context.Items["graph.request-id"] = requestId;
        context.Response.Headers["request-id"] = requestId;
        context.Response.Headers["client-request-id"] = context.Request.Headers["client-request-id"].FirstOrDefault() ?? requestId;

        if (faults.Current.LatencyMilliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(faults.Current.LatencyMilliseconds), time, context.RequestAborted);
        }

        if (tokens.Validate(context.Request.Headers.Authorization.FirstOrDefault()) is { } problem)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
            return GraphJson.Error(context, 401, "InvalidAuthenticationToken", problem);
        }

        context.Items[GraphJson.RolesKey] = tokens.Roles(context.Request.Headers.Authorization.ToString());

        switch (faults.Draw())
        {
            case 429:
                context.Response.Headers.RetryAfter = "1";
                return GraphJson.Error(context, 429, "TooManyRequests", "Too many requests are being made. Please retry after the interval in the Retry-After header.");
            case 503:
                context.Response.Headers.RetryAfter = "1";
                return GraphJson.Error(context, 503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.");
        }

        // Every write, successful or not, becomes a directory audit event.
        var audit = audits.Begin(context);
        try
        {
            var result = await next(invocation);
            audit?.Succeeded(context);
            return result;
        }
        catch (GraphException e)
        {
            logger.LogInformation("Sandbox Graph {Method} {Path} answered {Status} {Code}", context.Request.Method, context.Request.Path, e.Status, e.Code);
            audit?.Failed(context, e.Message);
            return GraphJson.Error(context, e.Status, e.Code, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            // A property of the wrong JSON type (GetValue<string> on a number, …).
            audit?.Failed(context, $"Invalid request body: {e.Message}");
            return GraphJson.Error(context, 400, "BadRequest", $"Invalid request body: {e.Message}");
        }
    }
}
