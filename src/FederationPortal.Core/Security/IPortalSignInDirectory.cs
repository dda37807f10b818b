namespace FederationPortal.Core.Security;

/// <summary>A person who may appear on the sandbox sign-in page.</summary>
/// <param name="ObjectId">The directory object id (stable; becomes the actor id).</param>
/// <param name="UserPrincipalName">The sign-in name.</param>
/// <param name="DisplayName">What the portal shows.</param>
/// <param name="PortalRoles">The portal app roles assigned to this person (may be empty: such a person is refused).</param>
/// <param name="AccountEnabled">A disabled account cannot sign in.</param>
public sealed record SignInCandidate(
    string ObjectId,
    string UserPrincipalName,
    string DisplayName,
    IReadOnlyCollection<string> PortalRoles,
    bool AccountEnabled);

/// <summary>
/// Where the sandbox sign-in page finds its people. In Sandbox mode the emulated tenant's directory provides
/// them; in Live mode Entra's own sign-in page takes its place and this port is not registered.
/// </summary>
public interface IPortalSignInDirectory
{
    Task<IReadOnlyList<SignInCandidate>> ListAsync(CancellationToken cancellationToken = default);

    Task<SignInCandidate?> FindAsync(string objectId, CancellationToken cancellationToken = default);
}
