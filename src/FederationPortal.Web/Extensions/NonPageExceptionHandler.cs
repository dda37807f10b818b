using FederationPortal.Web.Security;
using Microsoft.AspNetCore.Diagnostics;

namespace FederationPortal.Web.Extensions;

/// <summary>
/// Outside Development, an unhandled failure is shown as the friendly /Error page only to a browser navigating to a
/// page. Re-executing a failed POST or PATCH at the GET-only /Error page would answer it with a sign-in redirect; so an
/// API caller gets a problem (status and trace id, never the exception's text) and anyone else a bare 500, as a cloud
/// answers.
/// </summary>
internal sealed partial class NonPageExceptionHandler(IProblemDetailsService problems, ILogger<NonPageExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // By now the middleware has pointed the request at /Error: judge by the path that failed.
        var path = new PathString(context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path.Value);
        if (PortalAuthenticationExtensions.RedirectsToPage(context.Request.Method, path))
        {
            return false;
        }

        // Since .NET 10 the middleware does not log an exception that a handler has handled: log it here, or a 500
        // from an API or sandbox endpoint leaves no trace of its cause.
        LogUnhandled(logger, context.Request.Method, path, context.TraceIdentifier, exception);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        if (!path.StartsWithSegments("/api"))
        {
            return true;
        }

        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "The portal could not complete the request.",
                Detail = "The failure is in the portal's log under this request's trace id; nothing was half-applied.",
            },
        });
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure of {Method} {Path} (trace id {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, string traceId, Exception exception);
}
