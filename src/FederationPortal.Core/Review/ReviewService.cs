using System.Text.Json;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Review;

/// <summary>
/// Role-assignment review: who can assume which AWS role, directly or through which group, with the role's policies,
/// maximum session and trusted provider — read live from Entra (app roles, assignments, group members) and IAM (the
/// role), never from the desired state. Attesting a review records the reviewer and the snapshot's hash.
/// </summary>
public sealed class ReviewService(
    IEnvironmentStore environments,
    IResourceInventory inventory,
    IEntraDirectoryService entra,
    IAwsIam iam,
    IAuditTrail audit,
    TimeProvider clock)
{
    public const string AttestAction = "review.attest";

    /// <summary>The review of one environment, or of every environment that is not deleted when <paramref name="environmentId"/> is null.</summary>
    public async Task<ReviewSnapshot> BuildAsync(Guid? environmentId = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FederationEnvironment> chosen;
        if (environmentId is { } id)
        {
            chosen = [await environments.FindAsync(id, cancellationToken) ?? throw new PortalNotFoundException($"There is no environment {id}.")];
        }
        else
        {
            chosen = (await environments.ListAsync(cancellationToken)).Where(e => e.Status != EnvironmentStatus.Deleted).ToList();
        }

        var rows = new List<RoleAccessRow>();
        var problems = new List<ReviewProblem>();
        foreach (var environment in chosen)
        {
            try
            {
                rows.AddRange(await ReviewEnvironmentAsync(environment, problems, cancellationToken));
            }
            catch (Exception ex) when (ex is EntraServiceException or AwsServiceException)
            {
                problems.Add(new(environment.Id, environment.Name, $"Could not read the clouds: {ex.Message}"));
            }
        }

        return new ReviewSnapshot(clock.GetUtcNow(), environmentId, ReviewSnapshot.Order(rows).ToList(), problems);
    }

    /// <summary>
    /// Records that <paramref name="actor"/> reviewed <paramref name="snapshot"/> (as shown to them, filters included):
    /// the audit event <c>review.attest</c> carries the reviewer and the SHA-256 of the snapshot's canonical CSV.
    /// Any portal user (Reader or Admin) may attest.
    /// </summary>
    public async Task<ReviewAttestation> AttestAsync(PortalActor actor, ReviewSnapshot snapshot, string? comment = null, CancellationToken cancellationToken = default)
    {
        var hash = snapshot.Sha256();
        if (!actor.CanRead)
        {
            await RecordAsync(actor, snapshot, AuditOutcome.Denied, $"Requires the {PortalRoles.Reader} or {PortalRoles.Admin} role.", hash, comment, cancellationToken);
            throw new PortalAuthorizationException(AttestAction, actor);
        }

        var recorded = await RecordAsync(actor, snapshot, AuditOutcome.Success, null, hash, comment, cancellationToken);
        return new ReviewAttestation(actor.Id, actor.DisplayName, recorded.TimestampUtc, snapshot.EnvironmentId, snapshot.Rows.Count, hash, recorded.Sequence);
    }

    private Task<AuditEvent> RecordAsync(PortalActor actor, ReviewSnapshot snapshot, AuditOutcome outcome, string? error, string hash, string? comment, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = AttestAction,
            Outcome = outcome,
            EnvironmentId = snapshot.EnvironmentId,
            TargetType = "RoleAssignmentReview",
            TargetId = hash,
            ErrorMessage = error,
            Details = new
            {
                reviewer = actor.DisplayName,
                reviewerId = actor.Id,
                sha256 = hash,
                takenAt = snapshot.TakenAt,
                rows = snapshot.Rows.Count,
                environments = snapshot.Rows.Select(r => r.EnvironmentId).Distinct().Count(),
                problems = snapshot.Problems.Select(p => $"{p.EnvironmentName}: {p.Message}"),
                comment,
            },
        }, cancellationToken);

    private async Task<IReadOnlyList<RoleAccessRow>> ReviewEnvironmentAsync(FederationEnvironment environment, List<ReviewProblem> problems, CancellationToken cancellationToken)
    {
        if (AppAttributes.Of(await inventory.FindAsync(environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken)) is not { } app)
        {
            return [];
        }

        if (await entra.GetServicePrincipalAsync(app.ServicePrincipalId, cancellationToken) is null)
        {
            problems.Add(new(environment.Id, environment.Name, $"The service principal {app.ServicePrincipalId} no longer exists in Entra."));
            return [];
        }

        var appRoles = (await entra.GetAppRolesAsync(app.ServicePrincipalId, cancellationToken)).ToDictionary(r => r.Id);
        var assignments = await entra.ListAppRoleAssignmentsAsync(app.ServicePrincipalId, cancellationToken);
        if (assignments.Count == 0)
        {
            return [];
        }

        var users = (await entra.ListUsersAsync(cancellationToken: cancellationToken)).ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
        var roles = new Dictionary<string, (IamRole? Role, IReadOnlyList<string> Policies, IReadOnlyList<string> Providers)>(StringComparer.Ordinal);
        var rows = new List<RoleAccessRow>();
        foreach (var assignment in assignments)
        {
            if (!appRoles.TryGetValue(assignment.AppRoleId, out var appRole) || !TryParseRoleValue(appRole.Value, out var roleArn, out var claimProvider))
            {
                // The default User/msiam_access roles (or a role that was removed) give no AWS access.
                continue;
            }

            var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
            if (!roles.TryGetValue(roleArn, out var role))
            {
                var live = await iam.GetRoleAsync(roleName, cancellationToken);
                IReadOnlyList<string> policies = live is null ? [] : (await iam.ListAttachedRolePoliciesAsync(roleName, cancellationToken)).Select(p => p.PolicyArn).Order(StringComparer.Ordinal).ToList();
                IEnumerable<string> inline = live is null ? [] : (await iam.ListRolePoliciesAsync(roleName, cancellationToken)).Select(p => $"inline:{p}").Order(StringComparer.Ordinal);
                role = roles[roleArn] = (live, policies.Concat(inline).ToList(), TrustedSamlProviders(live?.AssumeRolePolicyDocument));
            }

            var notes = new List<string>();
            if (!appRole.IsEnabled)
            {
                notes.Add("the app role is disabled");
            }

            if (role.Role is null)
            {
                notes.Add("the role does not exist in AWS");
            }
            else if (!role.Providers.Contains(claimProvider, StringComparer.Ordinal))
            {
                notes.Add("the role's trust policy does not name the provider of the Role claim");
            }

            var note = notes.Count == 0 ? null : string.Join("; ", notes);
            RoleAccessRow Row(string principalId, string principalName, string? upn, string? groupId, string? groupName) => new(
                environment.Id, environment.Name, principalId, principalName, upn, groupId, groupName, roleName, roleArn, claimProvider,
                role.Policies, role.Role?.MaxSessionDuration, role.Providers, note);

            if (string.Equals(assignment.PrincipalType, "Group", StringComparison.OrdinalIgnoreCase))
            {
                var members = await entra.ListGroupMembersAsync(assignment.PrincipalId, cancellationToken);
                foreach (var member in members)
                {
                    rows.Add(Row(member.Id, member.DisplayName, member.UserPrincipalName, assignment.PrincipalId, assignment.PrincipalDisplayName ?? assignment.PrincipalId));
                }
            }
            else
            {
                users.TryGetValue(assignment.PrincipalId, out var user);
                rows.Add(Row(assignment.PrincipalId, user?.DisplayName ?? assignment.PrincipalDisplayName ?? assignment.PrincipalId, user?.UserPrincipalName, null, null));
            }
        }

        return rows;
    }

    /// <summary>An AWS app role's value: <c>roleArn,providerArn</c> (either order, as AWS reads it).</summary>
    public static bool TryParseRoleValue(string? value, out string roleArn, out string providerArn)
    {
        roleArn = providerArn = string.Empty;
        var parts = value?.Split(',', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 })
        {
            return false;
        }

        roleArn = parts.FirstOrDefault(p => p.Contains(":role/", StringComparison.Ordinal)) ?? string.Empty;
        providerArn = parts.FirstOrDefault(p => p.Contains(":saml-provider/", StringComparison.Ordinal)) ?? string.Empty;
        return roleArn.Length > 0 && providerArn.Length > 0;
    }

    /// <summary>The <c>Principal.Federated</c> values of the Allow statements that grant <c>sts:AssumeRoleWithSAML</c>.</summary>
    public static IReadOnlyList<string> TrustedSamlProviders(string? trustPolicy)
    {
        if (string.IsNullOrWhiteSpace(trustPolicy))
        {
            return [];
        }

        try
        {
            var text = trustPolicy.TrimStart().StartsWith('{') ? trustPolicy : Uri.UnescapeDataString(trustPolicy);
            using var document = JsonDocument.Parse(text);
            if (!document.RootElement.TryGetProperty("Statement", out var statements))
            {
                return [];
            }

            var found = new List<string>();
            foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements])
            {
                var allows = statement.TryGetProperty("Effect", out var effect) && effect.GetString() == "Allow";
                var grants = statement.TryGetProperty("Action", out var action) && Strings(action).Any(a => a is "sts:AssumeRoleWithSAML" or "sts:*" or "*");
                if (allows && grants && statement.TryGetProperty("Principal", out var principal) && principal.ValueKind == JsonValueKind.Object
                    && principal.TryGetProperty("Federated", out var federated))
                {
                    found.AddRange(Strings(federated));
                }
            }

            return found.Distinct(StringComparer.Ordinal).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        _ => [],
    };
}
