using FederationPortal.Core.Entra;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace FederationPortal.Clouds.Entra;

/// <summary>How every Graph call's failure becomes an <see cref="EntraServiceException"/> carrying Graph's code.</summary>
internal static class GraphCalls
{
    public static async Task<T> MapErrorsAsync<T>(ILogger logger, string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ODataError e)
        {
            var code = e.Error?.Code ?? "UnknownError";
            logger.LogWarning("Graph refused to {Operation}: {Status} {Code}", what, e.ResponseStatusCode, code);
            throw new EntraServiceException(code, e.ResponseStatusCode, $"Entra refused to {what}: {e.Error?.Message ?? e.Message}", e);
        }
        catch (AggregateException e) when (e.InnerExceptions.LastOrDefault() is ApiException last)
        {
            // The SDK's retry handler gave up (429/503/504 answered more times than it retries): still a throttling or
            // server error, which callers treat as transient, not an unknown failure.
            var code = last.ResponseStatusCode == 429 ? "TooManyRequests" : "serviceNotAvailable";
            logger.LogWarning("Graph kept answering {Status} to {Operation} after {Attempts} attempts", last.ResponseStatusCode, what, e.InnerExceptions.Count);
            throw new EntraServiceException(code, last.ResponseStatusCode,
                $"Entra is busy: it answered HTTP {last.ResponseStatusCode} {e.InnerExceptions.Count} times in a row to {what}. Nothing is lost: retry in a moment.", e);
        }
        catch (ApiException e)
        {
            logger.LogWarning("Graph call {Operation} failed with {Status}", what, e.ResponseStatusCode);
            throw new EntraServiceException("UnknownError", e.ResponseStatusCode, $"Entra failed to {what}: HTTP {e.ResponseStatusCode}.", e);
        }
        catch (Azure.Identity.AuthenticationFailedException e)
        {
            throw new EntraServiceException("AuthenticationFailed", 401, $"Could not get a Graph token to {what}: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new EntraServiceException("ServiceUnreachable", 0, $"Entra could not be reached to {what}: {e.Message}", e);
        }
    }
}
