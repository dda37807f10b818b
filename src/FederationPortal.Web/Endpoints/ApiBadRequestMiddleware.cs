using System.Text.Json;
using FederationPortal.Core.Audit;
using FederationPortal.Web.Security;

namespace FederationPortal.Web.Endpoints;

/// <summary>
/// A request the API cannot even read (malformed JSON, a value of the wrong type, a missing body) gets a 400 problem
/// that says where the body broke, instead of an empty 400 — and, when it was meant to change something, an audit
/// event, as every failed mutating call has. The routing's <c>ThrowOnBadRequest</c> hands these failures here.
/// </summary>
internal sealed class ApiBadRequestMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IAuditTrail audit)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                // Elsewhere (the sandbox's wire protocols) keep the framework's answer: the status code, no body.
                context.Response.Clear();
                context.Response.StatusCode = ex.StatusCode;
                return;
            }

            var detail = Describe(ex);
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                var actor = PortalClaims.ToActor(context.User);
                await audit.RecordAsync(new AuditEntry
                {
                    ActorId = actor.Id,
                    ActorName = actor.DisplayName,
                    Action = "api.request",
                    Outcome = AuditOutcome.Failure,
                    TargetType = "ApiRequest",
                    TargetId = $"{context.Request.Method} {context.Request.Path}",
                    ErrorMessage = detail,
                }, context.RequestAborted);
            }

            context.Response.Clear();
            await Results.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [detail] },
                title: "The request cannot be read.",
                statusCode: ex.StatusCode).ExecuteAsync(context);
        }
    }

    /// <summary>The JSON reader's own words (path, line, byte) without echoing the body back.</summary>
    private static string Describe(BadHttpRequestException ex) => ex.InnerException switch
    {
        JsonException json => $"The body is not valid JSON for this endpoint at {json.Path ?? "$"} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}). Send a JSON object as described at /openapi/v1.json.",
        _ when ex.StatusCode == StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ => ex.Message,
    };
}
