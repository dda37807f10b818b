using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Preferences;

/// <summary>
/// A signed-in user's own UI preferences. Any portal user may change their own (a Reader too: it changes nothing the
/// portal manages); the change is audited like every other, and an anonymous caller is refused.
/// </summary>
public sealed class PreferencesService(IUserPreferenceStore store, IAuditTrail audit)
{
    public const string ThemeAction = "preferences.theme";

    public Task<bool> GetDarkModeAsync(PortalActor actor, CancellationToken cancellationToken = default)
        => actor == PortalActor.Anonymous ? Task.FromResult(false) : store.GetDarkModeAsync(actor.Id, cancellationToken);

    public async Task SetDarkModeAsync(PortalActor actor, bool darkMode, CancellationToken cancellationToken = default)
    {
        if (actor == PortalActor.Anonymous)
        {
            await RecordAsync(actor, darkMode, AuditOutcome.Denied, "Sign in to keep a theme.", cancellationToken);
            throw new PortalAuthorizationException(ThemeAction, actor);
        }

        try
        {
            await store.SetDarkModeAsync(actor.Id, darkMode, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RecordAsync(actor, darkMode, AuditOutcome.Failure, ex.Message, CancellationToken.None);
            throw;
        }

        await RecordAsync(actor, darkMode, AuditOutcome.Success, null, cancellationToken);
    }

    private Task RecordAsync(PortalActor actor, bool darkMode, AuditOutcome outcome, string? error, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = ThemeAction,
            Outcome = outcome,
            TargetType = "UserPreference",
            TargetId = actor.Id,
            ErrorMessage = error,
            Details = new { darkMode },
        }, cancellationToken);
}
