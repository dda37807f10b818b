using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Graph;

namespace FederationPortal.Sandbox.Entra.Tenant;

/// <summary>Claims mapping policies and their assignment to service principals.</summary>
internal sealed partial class SandboxEntraTenant
{
    public StoredClaimsMappingPolicy CreateClaimsMappingPolicy(JsonObject body)
    {
        var displayName = body["displayName"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw GraphException.BadRequest("Property 'displayName' is required.");
        }

        var definition = body["definition"] is JsonArray array ? array.Select(d => d?.GetValue<string>() ?? "").ToList() : throw GraphException.BadRequest("Property 'definition' is required.");
        ClaimsMappingPolicyValidator.Validate(definition);
        var policy = new StoredClaimsMappingPolicy
        {
            Id = Guid.NewGuid().ToString(),
            DisplayName = displayName,
            Definition = definition,
            IsOrganizationDefault = body["isOrganizationDefault"]?.GetValue<bool>() ?? false,
        };
        store.Put(StoredClaimsMappingPolicy.Kind, policy.Id, policy);
        return policy;
    }

    public IEnumerable<StoredClaimsMappingPolicy> ClaimsMappingPolicies => store.List<StoredClaimsMappingPolicy>(StoredClaimsMappingPolicy.Kind);

    public StoredClaimsMappingPolicy ClaimsMappingPolicy(string id)
        => store.Get<StoredClaimsMappingPolicy>(StoredClaimsMappingPolicy.Kind, id) ?? throw GraphException.NotFound(id);

    public void DeleteClaimsMappingPolicy(string id)
    {
        lock (gate)
        {
            var policy = ClaimsMappingPolicy(id);
            if (store.List<StoredServicePrincipal>(StoredServicePrincipal.Kind).Any(sp => sp.ClaimsMappingPolicyIds.Contains(policy.Id)))
            {
                throw GraphException.BadRequest("The policy is still assigned to one or more service principals; remove the assignments first.");
            }

            store.Delete(StoredClaimsMappingPolicy.Kind, policy.Id);
        }
    }

    public void AssignClaimsMappingPolicy(string spId, JsonObject body)
    {
        var reference = body["@odata.id"]?.GetValue<string>() ?? throw GraphException.BadRequest("Property '@odata.id' is required.");
        var policyId = reference.TrimEnd('/').Split('/')[^1];
        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            var policy = ClaimsMappingPolicy(policyId);
            if (sp.ClaimsMappingPolicyIds.Count > 0)
            {
                throw sp.ClaimsMappingPolicyIds.Contains(policy.Id)
                    ? new GraphException(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'claimsMappingPolicies'.")
                    : new GraphException(400, "Request_BadRequest", "A service principal can have only one claims mapping policy assigned; remove the current one first.");
            }

            sp.ClaimsMappingPolicyIds.Add(policy.Id);
            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }
    }

    public void RemoveClaimsMappingPolicy(string spId, string policyId)
    {
        lock (gate)
        {
            var sp = ServicePrincipal(spId);
            if (!sp.ClaimsMappingPolicyIds.Remove(policyId))
            {
                throw GraphException.NotFound(policyId);
            }

            store.Put(StoredServicePrincipal.Kind, sp.Id, sp);
        }
    }
}
