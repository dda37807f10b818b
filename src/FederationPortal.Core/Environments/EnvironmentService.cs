using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Environments;

/// <summary>What an admin types to create an environment.</summary>
public sealed record EnvironmentDraft(string Name, string EntraTenantId, string AwsAccountId, string? Description = null);

/// <summary>Creates, lists and changes environments; authorizes and audits every change.</summary>
public sealed partial class EnvironmentService(IEnvironmentStore store, IAuditTrail audit, TimeProvider clock)
{
    public Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default)
        => store.ListAsync(cancellationToken);

    public Task<FederationEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken = default)
        => store.FindAsync(id, cancellationToken);

    /// <summary>Validates the draft and records a new environment in <see cref="EnvironmentStatus.Draft"/>.</summary>
    public async Task<FederationEnvironment> CreateAsync(PortalActor actor, EnvironmentDraft draft, CancellationToken cancellationToken = default)
    {
        const string action = "environment.create";
        await AuthorizeWriteAsync(actor, action, null, draft.Name, cancellationToken);

        var errors = await ValidateAsync(draft, null, cancellationToken);
        if (errors.Count > 0)
        {
            var failure = new PortalValidationException(errors);
            await audit.RecordAsync(new AuditEntry
            {
                ActorId = actor.Id,
                ActorName = actor.DisplayName,
                Action = action,
                Outcome = AuditOutcome.Failure,
                TargetType = "Environment",
                TargetId = draft.Name,
                ErrorMessage = failure.Message,
                Details = draft,
            }, cancellationToken);
            throw failure;
        }

        var now = clock.GetUtcNow();
        var environment = new FederationEnvironment
        {
            Id = Guid.CreateVersion7(now),
            Name = draft.Name.Trim(),
            Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim(),
            EntraTenantId = draft.EntraTenantId.Trim().ToLowerInvariant(),
            AwsAccountId = draft.AwsAccountId.Trim(),
            Status = EnvironmentStatus.Draft,
            CreatedAt = now,
            CreatedBy = actor.DisplayName,
            UpdatedAt = now,
            UpdatedBy = actor.DisplayName,
        };

        try
        {
            await store.AddAsync(environment, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RecordAsync(actor, action, environment, AuditOutcome.Failure, ex.Message, cancellationToken);
            throw;
        }

        await RecordAsync(actor, action, environment, AuditOutcome.Success, null, cancellationToken);
        return environment;
    }

    /// <summary>Checks a draft without saving it; returns field → message for every problem.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValidateAsync(EnvironmentDraft draft, Guid? exceptId, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = draft.Name?.Trim() ?? string.Empty;
        if (name.Length is < 3 or > 64 || !NamePattern().IsMatch(name))
        {
            errors["Name"] = "Use 3 to 64 characters: letters, digits, spaces, '-', '_' or '.', starting with a letter or digit.";
        }
        else if (await store.NameExistsAsync(name, exceptId, cancellationToken))
        {
            errors["Name"] = $"An environment named '{name}' already exists. Choose another name.";
        }

        if (!Guid.TryParse(draft.EntraTenantId?.Trim(), out _))
        {
            errors["EntraTenantId"] = "Enter the tenant ID as a GUID (Entra admin center > Overview > Tenant ID), not the domain name.";
        }

        if (!AccountPattern().IsMatch(draft.AwsAccountId?.Trim() ?? string.Empty))
        {
            errors["AwsAccountId"] = "Enter the 12-digit AWS account ID (AWS console > account menu), without dashes.";
        }

        if (draft.Description is { Length: > 500 })
        {
            errors["Description"] = "Keep the description under 500 characters.";
        }

        return errors;
    }

    private async Task AuthorizeWriteAsync(PortalActor actor, string action, Guid? environmentId, string? target, CancellationToken cancellationToken)
    {
        if (actor.IsAdmin)
        {
            return;
        }

        await audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = AuditOutcome.Denied,
            EnvironmentId = environmentId,
            TargetType = "Environment",
            TargetId = target,
            ErrorMessage = $"Requires the {PortalRoles.Admin} role.",
        }, cancellationToken);
        throw new PortalAuthorizationException(action, actor);
    }

    private Task RecordAsync(PortalActor actor, string action, FederationEnvironment environment, AuditOutcome outcome, string? error, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = outcome,
            EnvironmentId = environment.Id,
            TargetType = "Environment",
            TargetId = environment.Id.ToString(),
            ErrorMessage = error,
            Details = new { environment.Name, environment.EntraTenantId, environment.AwsAccountId },
        }, cancellationToken);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^\\d{12}$")]
    private static partial Regex AccountPattern();
}
