using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;

namespace FederationPortal.Core.Doctor.Checks;

/// <summary>
/// Every assigned user must hold, directly or through a group, at least one enabled app role naming an AWS role; else
/// their Role claim is empty and AWS answers "Your request included an invalid SAML response".
/// </summary>
internal sealed class RoleClaimCheck : IDoctorCheck
{
    public const string CheckId = "assigned-users-role-claim";

    public string Id => CheckId;

    public string Title => "Every assigned user gets a Role claim";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        if (context.Assignments is not { } assignments)
        {
            return [new(Id, DoctorStatus.Skipped, "Assignments", "The app's assignments could not be read (or the app was never created).")];
        }

        if (assignments.Count == 0)
        {
            return [new(Id, DoctorStatus.Warning, "Assignments", "Nobody is assigned to the app: nobody can sign in to AWS through it.", "Assign users or groups to roles on the User assignment stage.")];
        }

        var users = new Dictionary<string, Holder>(StringComparer.OrdinalIgnoreCase);
        foreach (var assignment in assignments)
        {
            var appRole = context.AppRoles.FirstOrDefault(r => r.Id == assignment.AppRoleId);
            var grants = appRole is { IsEnabled: true } && DoctorParsing.ParseRoleValue(appRole.Value) is not null;
            var what = appRole is null ? "an app role that no longer exists"
                : !appRole.IsEnabled ? $"the disabled app role '{appRole.DisplayName}'"
                : grants ? $"'{appRole.DisplayName}'" : $"'{appRole.DisplayName}', which is not an AWS role";
            IReadOnlyList<EntraUser> members = string.Equals(assignment.PrincipalType, "Group", StringComparison.OrdinalIgnoreCase)
                ? await context.Entra.ListGroupMembersAsync(assignment.PrincipalId, cancellationToken)
                : [new EntraUser(assignment.PrincipalId, assignment.PrincipalDisplayName ?? assignment.PrincipalId, assignment.PrincipalDisplayName ?? assignment.PrincipalId, null, true)];
            var via = string.Equals(assignment.PrincipalType, "Group", StringComparison.OrdinalIgnoreCase) ? $" through group {assignment.PrincipalDisplayName ?? assignment.PrincipalId}" : string.Empty;
            foreach (var member in members)
            {
                var holder = users.TryGetValue(member.Id, out var found) ? found : users[member.Id] = new Holder(member.UserPrincipalName);
                holder.HasRole |= grants;
                holder.Via.Add(what + via);
            }
        }

        var empty = users.Values.Where(u => !u.HasRole).ToList();
        if (empty.Count == 0)
        {
            return [new(Id, DoctorStatus.Passed, "Assignments", $"All {users.Count} assigned user(s) hold at least one AWS role.")];
        }

        return empty.Select(u => new DoctorFinding(Id, DoctorStatus.Failed, $"User {u.Name}",
            $"{u.Name} is assigned only to {string.Join(" and ", u.Via.Distinct())}: their Role claim would be empty, and AWS answers 'Your request included an invalid SAML response'.",
            "Assign them (or a group of theirs) to an AWS role on the User assignment stage, or remove the assignment.")).ToList();
    }

    private sealed class Holder(string name)
    {
        public string Name { get; } = name;

        public bool HasRole { get; set; }

        public List<string> Via { get; } = [];
    }
}

/// <summary>
/// The app's identifier must be AWS's (<c>https://signin.aws.amazon.com/saml</c> or <c>#n</c>), with AWS's reply URL, and
/// no other AWS app the portal manages in the tenant may hold the same identifier.
/// </summary>
internal sealed class IdentifierCheck : IDoctorCheck
{
    public const string CheckId = "identifier";

    public string Id => CheckId;

    public string Title => "The app's identifier is AWS's and unique in the tenant";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        const string subject = "Identifier (entity id)";
        if (context.Application is not { } app)
        {
            return [new(Id, DoctorStatus.Skipped, subject, context.HasApp ? "The application could not be read from Entra." : "The enterprise application has not been created yet.")];
        }

        var identifier = app.IdentifierUris.FirstOrDefault(IsAwsIdentifier);
        if (identifier is null)
        {
            return [new(Id, DoctorStatus.Failed, subject,
                $"The app's identifier is {(app.IdentifierUris.Count == 0 ? "empty" : string.Join(", ", app.IdentifierUris))}, not {FederationNames.AwsSignInUrl} (or #2, #3…): the audience of every response is wrong and AWS refuses it.",
                $"Set the identifier to the next free {FederationNames.AwsSignInUrl}[#n] in the tenant.", DoctorFixes.Identifier)];
        }

        if (!app.RedirectUris.Contains(FederationNames.AwsSignInUrl, StringComparer.OrdinalIgnoreCase))
        {
            return [new(Id, DoctorStatus.Failed, subject,
                $"The reply URL is {string.Join(", ", app.RedirectUris.DefaultIfEmpty("empty"))}, not {FederationNames.AwsSignInUrl}: Entra posts the response somewhere AWS never sees it.",
                $"Set the reply URL to {FederationNames.AwsSignInUrl}.", DoctorFixes.Identifier)];
        }

        foreach (var (other, otherApp) in await OtherAppsAsync(context, cancellationToken))
        {
            if (otherApp.IdentifierUris.Any(u => Normalize(u) == Normalize(identifier)))
            {
                return [new(Id, DoctorStatus.Failed, subject,
                    $"Environment '{other.Name}' has an app ('{otherApp.DisplayName}') with the same identifier {identifier}: an identifier must be unique in the tenant, and Entra may sign in to the wrong app.",
                    $"Give this app the next free identifier ({FederationNames.AwsSignInUrl}#n); Entra strips #n from the audience, so AWS still accepts it.", DoctorFixes.Identifier, "collision")];
            }
        }

        return [new(Id, DoctorStatus.Passed, subject, $"Identifier {identifier}, reply URL {FederationNames.AwsSignInUrl}; no other managed app holds it.")];
    }

    public static bool IsAwsIdentifier(string uri)
        => string.Equals(uri, FederationNames.AwsSignInUrl, StringComparison.OrdinalIgnoreCase)
           || (uri.StartsWith(FederationNames.AwsSignInUrl + "#", StringComparison.OrdinalIgnoreCase) && int.TryParse(uri[(FederationNames.AwsSignInUrl.Length + 1)..], out _));

    public static string Normalize(string uri) => uri.Trim().TrimEnd('/').ToLowerInvariant();

    /// <summary>The apps of the portal's other live environments in the same tenant.</summary>
    internal static async Task<IReadOnlyList<(Environments.FederationEnvironment Environment, EntraApplicationInfo App)>> OtherAppsAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var found = new List<(Environments.FederationEnvironment, EntraApplicationInfo)>();
        foreach (var other in await context.Environments.ListAsync(cancellationToken))
        {
            if (other.Id == context.Environment.Id || other.Status == Environments.EnvironmentStatus.Deleted
                || !string.Equals(other.EntraTenantId, context.Environment.EntraTenantId, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var record = (await context.InventoryStore.ListAsync(other.Id, cancellationToken)).FirstOrDefault(r => r.Type == ResourceTypes.Application && r.CloudId.Length > 0);
            if (record is not null && await context.Entra.GetApplicationAsync(record.CloudId, cancellationToken) is { } app)
            {
                found.Add((other, app));
            }
        }

        return found;
    }
}
