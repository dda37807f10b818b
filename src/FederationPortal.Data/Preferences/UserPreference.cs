namespace FederationPortal.Data.Preferences;

/// <summary>Per-user UI settings, keyed by the user's stable id.</summary>
public sealed class UserPreference
{
    public string UserId { get; set; } = string.Empty;

    public bool DarkMode { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
