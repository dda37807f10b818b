using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Federation;

/// <summary>Reads the setup wizard's state for the page in one call.</summary>
public sealed class SetupWizardService(SetupService setup, IEntraDirectoryService entra)
{
    /// <param name="includePeople">List the tenant's enabled users for the sign-in test (one Graph call); a reload after
    /// a save can skip it.</param>
    public async Task<SetupWizard> GetAsync(Guid environmentId, bool includePeople, CancellationToken cancellationToken = default)
    {
        var environment = await setup.GetEnvironmentAsync(environmentId, cancellationToken);
        var plan = await setup.PlanAsync(environmentId, cancellationToken);
        var inventory = await setup.GetInventoryAsync(environmentId, cancellationToken);
        var operations = await setup.ListOperationsAsync(environmentId, cancellationToken: cancellationToken);
        var people = includePeople ? await ListPeopleAsync(environment, cancellationToken) : [];
        return new SetupWizard(environment, plan, inventory, operations, people);
    }

    /// <summary>The tenant's enabled users; when Entra cannot be reached, the users the spec assigns.</summary>
    private async Task<IReadOnlyList<string>> ListPeopleAsync(FederationEnvironment environment, CancellationToken cancellationToken)
    {
        try
        {
            return (await entra.ListUsersAsync(cancellationToken: cancellationToken)).Where(u => u.AccountEnabled).Select(u => u.UserPrincipalName).Order().ToList();
        }
        catch (EntraServiceException)
        {
            return EnvironmentSpec.FromJson(environment.DesiredStateJson).Assignments
                .Where(a => a.PrincipalType == PrincipalKind.User).Select(a => a.PrincipalName ?? a.PrincipalId).ToList();
        }
    }
}
