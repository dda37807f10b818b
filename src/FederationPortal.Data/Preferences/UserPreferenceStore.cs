using FederationPortal.Core.Preferences;
using Microsoft.EntityFrameworkCore;

namespace FederationPortal.Data.Preferences;

/// <summary>Per-user UI preferences (theme) in the portal database; <see cref="PreferencesService"/> audits changes.</summary>
public sealed class UserPreferenceStore(IDbContextFactory<PortalDbContext> factory, TimeProvider clock) : IUserPreferenceStore
{
    public async Task<bool> GetDarkModeAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var preference = await db.UserPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        return preference?.DarkMode ?? false;
    }

    public async Task SetDarkModeAsync(string userId, bool darkMode, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var preference = await db.UserPreferences.FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (preference is null)
        {
            preference = new UserPreference { UserId = userId };
            db.UserPreferences.Add(preference);
        }

        preference.DarkMode = darkMode;
        preference.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}
