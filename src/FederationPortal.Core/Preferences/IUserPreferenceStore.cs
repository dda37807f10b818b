namespace FederationPortal.Core.Preferences;

/// <summary>Persistence of per-user UI preferences (implemented by the Data project).</summary>
public interface IUserPreferenceStore
{
    /// <summary>The user's theme; <c>false</c> (light) when the user never chose one.</summary>
    Task<bool> GetDarkModeAsync(string userId, CancellationToken cancellationToken = default);

    Task SetDarkModeAsync(string userId, bool darkMode, CancellationToken cancellationToken = default);
}
