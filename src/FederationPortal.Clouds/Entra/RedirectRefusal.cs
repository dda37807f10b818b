using System.Net;
using FederationPortal.Core.Entra;

namespace FederationPortal.Clouds.Entra;

/// <summary>
/// Graph never redirects an API call: a 3xx means the base URL points at something else (a proxy's sign-in page, a
/// web server). Refused with the Location named, after one request, instead of being followed.
/// </summary>
internal sealed class RedirectRefusal : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400 && response.StatusCode != HttpStatusCode.NotModified)
        {
            var location = response.Headers.Location?.ToString() ?? "(no Location)";
            response.Dispose();
            throw new EntraServiceException("UnexpectedRedirect", status,
                $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)} answered {status} redirecting to {location}; Graph does not redirect API calls, so the Graph base URL is probably wrong.");
        }

        return response;
    }
}
