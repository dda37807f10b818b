namespace FederationPortal.Core.Clouds;

/// <summary>
/// Gives the connectors their endpoints and credentials. In Sandbox mode the portal serves the clouds itself, so
/// the endpoints are known only once the server listens; connectors therefore ask at call time, not at start.
/// </summary>
public interface ICloudEndpointsProvider
{
    CloudEndpoints GetEndpoints();
}
