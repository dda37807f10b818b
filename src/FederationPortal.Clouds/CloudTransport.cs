namespace FederationPortal.Clouds;

/// <summary>
/// The one transport under every cloud client. It never follows a redirect: a cloud API does not legitimately
/// redirect its callers, and following one re-sends the request (method and body) to a URL nobody chose — the way an
/// earlier version ended in an HTTP 414, chasing a sign-in page that put the whole URL into ReturnUrl on every hop.
/// </summary>
internal static class CloudTransport
{
    public static SocketsHttpHandler PrimaryHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
