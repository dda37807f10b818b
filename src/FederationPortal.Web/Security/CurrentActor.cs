using FederationPortal.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace FederationPortal.Web.Security;

/// <summary>The actor of the current circuit or request, read from the authentication state.</summary>
public sealed class CurrentActor(AuthenticationStateProvider authenticationState)
{
    public async Task<PortalActor> GetAsync()
    {
        var state = await authenticationState.GetAuthenticationStateAsync();
        return PortalClaims.ToActor(state.User);
    }
}
