using FederationPortal.Core.Security;
using FederationPortal.Sandbox.Storage;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.People;

/// <summary>A user of the emulated tenant.</summary>
public sealed record SandboxUser(
    string Id,
    string UserPrincipalName,
    string DisplayName,
    string? Mail,
    string? JobTitle,
    bool AccountEnabled,
    IReadOnlyList<string> PortalRoles);

/// <summary>A security group of the emulated tenant, with its direct members (user ids).</summary>
public sealed record SandboxGroup(string Id, string DisplayName, string? Description, IReadOnlyList<string> MemberIds);

/// <summary>
/// The emulated tenant's people and groups, seeded on first start and kept in the sandbox store. The portal's
/// sandbox sign-in page lists these users; the emulated Graph serves them as <c>/users</c> and <c>/groups</c>.
/// </summary>
public sealed class SandboxDirectory : IPortalSignInDirectory
{
    public const string UserKind = "entra.user";
    public const string GroupKind = "entra.group";

    private readonly SandboxDocumentStore store;

    public SandboxDirectory(SandboxDocumentStore store, IOptions<SandboxOptions> options)
    {
        this.store = store;
        if (store.List<SandboxUser>(UserKind).Count == 0)
        {
            Seed(options.Value.TenantDomain);
        }
    }

    public IReadOnlyList<SandboxUser> Users => store.List<SandboxUser>(UserKind);

    public IReadOnlyList<SandboxGroup> Groups => store.List<SandboxGroup>(GroupKind);

    public SandboxUser? FindUser(string idOrUpn)
        => store.Get<SandboxUser>(UserKind, idOrUpn)
           ?? Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, idOrUpn, StringComparison.OrdinalIgnoreCase));

    public SandboxGroup? FindGroup(string id) => store.Get<SandboxGroup>(GroupKind, id);

    /// <summary>The groups <paramref name="userId"/> is a direct member of.</summary>
    public IReadOnlyList<SandboxGroup> GroupsOf(string userId) => Groups.Where(g => g.MemberIds.Contains(userId)).ToList();

    public Task<IReadOnlyList<SignInCandidate>> ListAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<SignInCandidate>>(
            Users.OrderBy(u => u.DisplayName, StringComparer.OrdinalIgnoreCase).Select(ToCandidate).ToList());

    public Task<SignInCandidate?> FindAsync(string objectId, CancellationToken cancellationToken = default)
        => Task.FromResult(store.Get<SandboxUser>(UserKind, objectId) is { } user ? ToCandidate(user) : null);

    private static SignInCandidate ToCandidate(SandboxUser user)
        => new(user.Id, user.UserPrincipalName, user.DisplayName, user.PortalRoles, user.AccountEnabled);

    private void Seed(string domain)
    {
        SandboxUser[] users =
        [
            new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f01", $"adele.vance@{domain}", "Adele Vance", $"adele.vance@{domain}", "Cloud Identity Admin", true, [PortalRoles.Admin]),
            new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f02", $"megan.bowen@{domain}", "Megan Bowen", $"megan.bowen@{domain}", "Security Auditor", true, [PortalRoles.Reader]),
            new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f03", $"alex.wilber@{domain}", "Alex Wilber", $"alex.wilber@{domain}", "Marketing", true, []),
            new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04", $"diego.siciliani@{domain}", "Diego Siciliani", $"diego.siciliani@{domain}", "Platform Engineer", true, []),
            new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f05", $"lee.gu@{domain}", "Lee Gu", $"lee.gu@{domain}", "Site Reliability Engineer", true, []),
            new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f06", $"isaiah.langer@{domain}", "Isaiah Langer", $"isaiah.langer@{domain}", "Data Analyst", true, []),
            new("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f07", $"patti.fernandez@{domain}", "Patti Fernandez", $"patti.fernandez@{domain}", "Finance", false, []),
        ];
        foreach (var user in users)
        {
            store.Put(UserKind, user.Id, user);
        }

        SandboxGroup[] groups =
        [
            new("7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c01", "AWS Administrators", "Engineers who administer the AWS account", [users[3].Id, users[4].Id]),
            new("7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c02", "AWS Read-Only", "People who may look but not touch", [users[5].Id, users[6].Id]),
        ];
        foreach (var group in groups)
        {
            store.Put(GroupKind, group.Id, group);
        }
    }
}
