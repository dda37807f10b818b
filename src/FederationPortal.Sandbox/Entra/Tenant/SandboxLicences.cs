using System.Text.Json.Nodes;
using FederationPortal.Sandbox.Entra.Graph;

namespace FederationPortal.Sandbox.Entra.Tenant;

/// <summary>
/// The licences the emulated tenant can hold (<c>Sandbox:Licences</c>), with Microsoft's real SKU and service plan
/// ids, served by <c>/subscribedSkus</c>. Only SKUs with an Entra ID P1 or P2 plan unlock group-based assignment.
/// </summary>
internal static class SandboxLicences
{
    public const string DefaultSku = "ENTERPRISEPACK";

    private static readonly ServicePlan AadPremium = new("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM");
    private static readonly ServicePlan AadPremiumP2 = new("eec0eb4f-6444-4f95-aba0-50c24d67f998", "AAD_PREMIUM_P2");
    private static readonly ServicePlan MfaPremium = new("8a256a2b-b617-496d-b51b-e76466e88db0", "MFA_PREMIUM");
    private static readonly ServicePlan Exchange = new("efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE");
    private static readonly ServicePlan SharePoint = new("5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE");
    private static readonly ServicePlan Teams = new("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1");
    private static readonly ServicePlan SkypeForBusiness = new("0feaeb32-d00e-4d66-bd5a-43b5b83db82c", "MCOSTANDARD");
    private static readonly ServicePlan OfficeApps = new("43de0ff5-c92c-492b-9116-175376d08c38", "OFFICESUBSCRIPTION");

    public static readonly IReadOnlyDictionary<string, Sku> Catalog = new Dictionary<string, Sku>(StringComparer.Ordinal)
    {
        ["ENTERPRISEPACK"] = new("6fd2c87f-b296-42f0-b197-1e91e994b900", "ENTERPRISEPACK", [Exchange, SharePoint, Teams, SkypeForBusiness, OfficeApps]),
        ["AAD_PREMIUM"] = new("078d2b04-f1bd-4111-bbd4-b4b1b354cef4", "AAD_PREMIUM", [AadPremium, MfaPremium]),
        ["AAD_PREMIUM_P2"] = new("84a661c4-e949-4bd2-a560-ed7766fcaf2b", "AAD_PREMIUM_P2", [AadPremium, AadPremiumP2, MfaPremium]),
        ["SPE_E5"] = new("06ebc4ee-1bb5-47dd-8120-11324bc54e06", "SPE_E5", [Exchange, SharePoint, Teams, SkypeForBusiness, OfficeApps, AadPremium, AadPremiumP2, MfaPremium]),
    };

    /// <summary>A <c>subscribedSku</c>: 25 seats bought, as many consumed as the sandbox directory has users.</summary>
    public static JsonObject ToJson(Sku sku, string tenantId, int consumedUnits) => new()
    {
        ["accountName"] = "Contoso",
        ["accountId"] = tenantId,
        ["appliesTo"] = "User",
        ["capabilityStatus"] = "Enabled",
        ["consumedUnits"] = consumedUnits,
        ["id"] = $"{tenantId}_{sku.SkuId}",
        ["skuId"] = sku.SkuId,
        ["skuPartNumber"] = sku.PartNumber,
        ["subscriptionIds"] = GraphJson.Strings([DeterministicGuid(tenantId + sku.SkuId)]),
        ["prepaidUnits"] = new JsonObject { ["enabled"] = 25, ["suspended"] = 0, ["warning"] = 0, ["lockedOut"] = 0 },
        ["servicePlans"] = new JsonArray([.. sku.Plans.Select(p => (JsonNode)new JsonObject
        {
            ["servicePlanId"] = p.Id,
            ["servicePlanName"] = p.Name,
            ["provisioningStatus"] = "Success",
            ["appliesTo"] = "User",
        })]),
    };

    private static string DeterministicGuid(string seed)
        => new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed))[..16]).ToString();

    internal sealed record ServicePlan(string Id, string Name);

    internal sealed record Sku(string SkuId, string PartNumber, IReadOnlyList<ServicePlan> Plans);
}
