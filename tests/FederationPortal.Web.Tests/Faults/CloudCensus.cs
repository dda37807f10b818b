using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// What the clouds themselves hold for one environment, read through the connectors (IAM list calls, Graph queries by
/// display name), never from the portal's inventory. Reads are retried while the sandbox injects faults.
/// </summary>
internal sealed class CloudCensus(IServiceProvider services)
{
    private IAwsIam Iam => services.GetRequiredService<IAwsIam>();

    private IEntraDirectoryService Entra => services.GetRequiredService<IEntraDirectoryService>();

    /// <summary>Problems with the state a finished setup must leave: exactly one of each resource, nothing twice.</summary>
    public async Task<List<string>> SetUpProblemsAsync(FederationEnvironment environment, EnvironmentSpec spec)
    {
        var problems = new List<string>();
        var apps = await Patiently(() => Entra.FindApplicationsByDisplayNameAsync(FederationNames.AppDisplayName(environment, spec)));
        if (apps.Count != 1)
        {
            problems.Add($"{apps.Count} applications named '{FederationNames.AppDisplayName(environment, spec)}' (want 1)");
        }

        var policies = (await Patiently(() => Entra.ListAllClaimsMappingPoliciesAsync())).Count(p => p.DisplayName == FederationNames.ClaimsPolicyName(environment));
        if (policies != 1)
        {
            problems.Add($"{policies} claims mapping policies named '{FederationNames.ClaimsPolicyName(environment)}' (want 1)");
        }

        if (apps.Count == 1)
        {
            var sp = apps[0].ServicePrincipal;
            var certificates = sp.KeyCredentials.Count(k => k.Usage == "Verify" && k.DisplayName == FederationNames.CertificateSubject(environment));
            if (certificates != 1)
            {
                problems.Add($"{certificates} signing certificates named '{FederationNames.CertificateSubject(environment)}' (want 1)");
            }

            var assigned = await Patiently(() => Entra.ListClaimsMappingPoliciesAsync(sp.Id));
            if (assigned.Count != 1)
            {
                problems.Add($"{assigned.Count} claims mapping policies assigned to the service principal (want 1)");
            }

            var appRoles = await Patiently(() => Entra.GetAppRolesAsync(sp.Id));
            foreach (var role in spec.Roles)
            {
                var value = FederationNames.RoleValue(environment, spec, role.Name);
                var count = appRoles.Count(r => r.Value == value && r.IsEnabled);
                if (count != 1)
                {
                    problems.Add($"{count} enabled app roles for {role.Name} (want 1)");
                }
            }

            var assignments = await Patiently(() => Entra.ListAppRoleAssignmentsAsync(sp.Id));
            foreach (var group in assignments.GroupBy(a => (a.PrincipalId, a.AppRoleId)).Where(g => g.Count() > 1))
            {
                problems.Add($"{group.Count()} assignments of {group.Key.PrincipalId} to app role {group.Key.AppRoleId} (want 1)");
            }

            foreach (var wanted in spec.Assignments)
            {
                var value = FederationNames.RoleValue(environment, spec, wanted.RoleName);
                var appRole = appRoles.FirstOrDefault(r => r.Value == value);
                if (appRole is null || !assignments.Any(a => a.AppRoleId == appRole.Id && string.Equals(a.PrincipalId, wanted.PrincipalId, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add($"{wanted.PrincipalName} is not assigned to {wanted.RoleName}");
                }
            }
        }

        var providerArn = FederationNames.ProviderArn(environment, spec);
        var providers = (await Patiently(() => Iam.ListSamlProvidersAsync())).Count(p => p.Arn == providerArn);
        if (providers != 1)
        {
            problems.Add($"{providers} SAML providers {providerArn} (want 1)");
        }

        var roles = await Patiently(() => Iam.ListRolesAsync());
        foreach (var role in spec.Roles)
        {
            var live = roles.Where(r => string.Equals(r.RoleName, role.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (live.Count != 1)
            {
                problems.Add($"{live.Count} IAM roles named {role.Name} (want 1)");
                continue;
            }

            var attached = await Patiently(() => Iam.ListAttachedRolePoliciesAsync(role.Name));
            if (!attached.Select(p => p.PolicyArn).Order().SequenceEqual(FederationNames.PolicyArns(role).Order()))
            {
                problems.Add($"role {role.Name} has policies {string.Join(", ", attached.Select(p => p.PolicyArn))}");
            }
        }

        var userName = FederationNames.ProvisioningUserName(environment, spec);
        var users = (await Patiently(() => Iam.ListUsersAsync())).Count(u => u.UserName == userName);
        if (users != (spec.Provisioning.Enabled ? 1 : 0))
        {
            problems.Add($"{users} IAM users named {userName} (want {(spec.Provisioning.Enabled ? 1 : 0)})");
        }

        if (spec.Provisioning.Enabled && users == 1)
        {
            var keys = await Patiently(() => Iam.ListAccessKeysAsync(userName));
            if (keys.Count != 1)
            {
                problems.Add($"{keys.Count} access keys for {userName} (want 1: the one handed to Entra)");
            }
        }

        return problems;
    }

    /// <summary>What a finished teardown left behind: anything named or tagged for the environment, on either cloud.</summary>
    public async Task<List<string>> LeftoversAsync(FederationEnvironment environment, EnvironmentSpec spec)
    {
        var left = new List<string>();
        left.AddRange((await Patiently(() => Entra.FindApplicationsByDisplayNameAsync(FederationNames.AppDisplayName(environment, spec))))
            .Select(a => $"application {a.Application.Id} '{a.Application.DisplayName}'"));
        left.AddRange((await Patiently(() => Entra.ListAllClaimsMappingPoliciesAsync()))
            .Where(p => p.DisplayName == FederationNames.ClaimsPolicyName(environment)).Select(p => $"claims mapping policy {p.Id}"));

        var roleNames = spec.Roles.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        left.AddRange((await Patiently(() => Iam.ListRolesAsync())).Where(r => roleNames.Contains(r.RoleName)).Select(r => $"role {r.Arn}"));
        left.AddRange((await Patiently(() => Iam.ListSamlProvidersAsync())).Where(p => p.Arn == FederationNames.ProviderArn(environment, spec)).Select(p => $"SAML provider {p.Arn}"));
        left.AddRange((await Patiently(() => Iam.ListUsersAsync())).Where(u => u.UserName == FederationNames.ProvisioningUserName(environment, spec)).Select(u => $"user {u.Arn}"));
        var slug = FederationNames.Slug(environment.Name);
        left.AddRange((await Patiently(() => Iam.ListPoliciesAsync())).Where(p => p.PolicyName.Contains(slug, StringComparison.OrdinalIgnoreCase)).Select(p => $"policy {p.Arn}"));
        left.AddRange((await Patiently(() => services.GetRequiredService<OrphanScanner>().ScanAsync()))
            .Where(o => o.EnvironmentTag == environment.Id.ToString()).Select(o => $"orphan {o.Type} {o.Arn}"));
        return left;
    }

    /// <summary>Runs a read again while the sandbox answers it with an injected fault (bounded).</summary>
    public static async Task<T> Patiently<T>(Func<Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Exception ex) when (attempt < 20 && IsInjectedFault(ex))
            {
                await Task.Delay(50 * attempt, TestContext.Current.CancellationToken); // backs off before reading again
            }
        }
    }

    private static bool IsInjectedFault(Exception ex) => ex switch
    {
        AwsServiceException aws => aws.IsTransient,
        EntraServiceException entra => entra.StatusCode is 429 or >= 500,
        _ => false,
    };
}
