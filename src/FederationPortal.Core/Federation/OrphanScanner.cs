using FederationPortal.Core.Aws;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Federation;

/// <summary>A resource tagged as the portal's whose environment no longer exists (or was torn down).</summary>
public sealed record OrphanResource(string Type, string Name, string Arn, string EnvironmentTag, string Reason);

/// <summary>
/// Finds AWS resources tagged <c>ManagedBy=FederationPortal</c> that belong to no live environment: what a teardown
/// interrupted long ago, or an environment deleted from another portal's database, left behind.
/// </summary>
public sealed class OrphanScanner(IAwsIam iam, IEnvironmentStore environments)
{
    public async Task<IReadOnlyList<OrphanResource>> ScanAsync(CancellationToken cancellationToken = default)
    {
        var live = (await environments.ListAsync(cancellationToken))
            .Where(e => e.Status != EnvironmentStatus.Deleted)
            .ToDictionary(e => e.Id.ToString(), e => e);
        var orphans = new List<OrphanResource>();

        void Check(string type, string name, string arn, IReadOnlyList<AwsTag>? tags)
        {
            if (tags is null || !tags.Any(t => t.Key == FederationNames.ManagedByTagKey && t.Value == FederationNames.ManagedByTagValue))
            {
                return;
            }

            var environment = tags.FirstOrDefault(t => t.Key == FederationNames.EnvironmentTagKey)?.Value ?? string.Empty;
            if (!live.ContainsKey(environment))
            {
                orphans.Add(new(type, name, arn, environment,
                    environment.Length == 0 ? "Tagged as the portal's but names no environment." : $"Environment {environment} does not exist here or was torn down."));
            }
        }

        foreach (var role in await iam.ListRolesAsync(cancellationToken: cancellationToken))
        {
            var full = await iam.GetRoleAsync(role.RoleName, cancellationToken);
            Check("IAM role", role.RoleName, role.Arn, full?.Tags);
        }

        foreach (var provider in await iam.ListSamlProvidersAsync(cancellationToken))
        {
            var full = await iam.GetSamlProviderAsync(provider.Arn, cancellationToken);
            Check("IAM SAML provider", provider.Arn[(provider.Arn.LastIndexOf('/') + 1)..], provider.Arn, full?.Tags);
        }

        foreach (var user in await iam.ListUsersAsync(cancellationToken))
        {
            var full = await iam.GetUserAsync(user.UserName, cancellationToken);
            Check("IAM user", user.UserName, user.Arn, full?.Tags);
        }

        return orphans;
    }
}
