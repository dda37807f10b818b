using System.Text.Json;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Doctor;

/// <summary>The ids of the doctor's automatic fixes (the audit action is <c>doctor.fix.&lt;id&gt;</c>).</summary>
public static class DoctorFixes
{
    public const string UploadMetadata = "upload-metadata";
    public const string ClaimsPolicy = "claims-policy";
    public const string AppRoles = "app-roles";
    public const string TrustPolicy = "trust-policy";
    public const string ProvisioningPolicy = "provisioning-policy";
    public const string Identifier = "identifier";

    /// <summary>Records what a fix changed in the inventory; a record that existed keeps its creation time and operation.</summary>
    internal static Task RecordAsync(DoctorContext context, string type, string key, string cloudId, object? attributes, CancellationToken cancellationToken)
    {
        var existing = context.Inventory.FirstOrDefault(r => r.Type == type && string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase));
        return context.InventoryStore.UpsertAsync(new ManagedResource
        {
            EnvironmentId = context.Environment.Id,
            Type = type,
            Key = existing?.Key ?? key,
            CloudId = cloudId,
            Attributes = attributes is null ? existing?.Attributes : JsonSerializer.Serialize(attributes, EnvironmentSpec.Json),
            CreatedAt = existing?.CreatedAt ?? context.Now,
            CreatedByOperationId = existing?.CreatedByOperationId,
        }, cancellationToken);
    }

    internal static Federation.Handlers.AppAttributes RequireApp(DoctorContext context)
        => context.App ?? throw new DoctorFixException("The enterprise application has not been created yet: apply the App registration stage first.");
}
