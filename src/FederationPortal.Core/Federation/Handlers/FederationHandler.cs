using System.Text.Json;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Federation.Handlers;

/// <summary>What the inventory records about the enterprise application.</summary>
public sealed record AppAttributes(string AppId, string ServicePrincipalId, string DisplayName)
{
    /// <summary>The app's attributes from its inventory record; null while only an intent (no cloud id) or nothing is recorded.</summary>
    public static AppAttributes? Of(ManagedResource? record)
        => record is { CloudId.Length: > 0, Attributes: { } json } ? JsonSerializer.Deserialize<AppAttributes>(json, EnvironmentSpec.Json) : null;

    /// <summary>The app's attributes from an environment's inventory, if the app exists.</summary>
    public static AppAttributes? Of(IEnumerable<ManagedResource> inventory)
        => Of(inventory.FirstOrDefault(r => r.Type == ResourceTypes.Application && r.Key == ResourceTypes.SingletonKey));
}

/// <summary>
/// Shared plumbing of the federation handlers: the spec, the inventory, and cloud errors turned into messages that
/// say what is wrong and how to fix it.
/// </summary>
internal abstract class FederationHandler : IActionHandler
{
    public abstract string Kind { get; }

    public async Task<ActionResult> ExecuteAsync(ActionExecution execution, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(execution, EnvironmentSpec.FromJson(execution.Environment.DesiredStateJson), cancellationToken);
        }
        catch (AwsServiceException ex) when (!ex.IsTransient)
        {
            throw new ActionFailedException(CloudErrors.Explain(ex), ex);
        }
        catch (EntraServiceException ex) when (ex.StatusCode is not (429 or >= 500))
        {
            throw new ActionFailedException(CloudErrors.Explain(ex), ex);
        }
    }

    protected abstract Task<ActionResult> RunAsync(ActionExecution execution, EnvironmentSpec spec, CancellationToken cancellationToken);

    protected static async Task<(ManagedResource Record, AppAttributes App)> RequireAppAsync(ActionExecution execution, CancellationToken cancellationToken)
    {
        var record = await execution.Inventory.FindAsync(execution.Environment.Id, ResourceTypes.Application, ResourceTypes.SingletonKey, cancellationToken);
        return AppAttributes.Of(record) is { } app
            ? (record!, app)
            : throw new ActionFailedException("The enterprise application has not been created yet: apply the App registration stage first.");
    }

    protected static async Task<ManagedResource> RequireAsync(ActionExecution execution, string type, string key, string missing, CancellationToken cancellationToken)
        => await execution.Inventory.FindAsync(execution.Environment.Id, type, key, cancellationToken) is { CloudId.Length: > 0 } record
            ? record
            : throw new ActionFailedException(missing);

    protected static Task RecordAsync(ActionExecution execution, string type, string key, string cloudId, object? attributes, CancellationToken cancellationToken)
        => execution.Inventory.UpsertAsync(new ManagedResource
        {
            EnvironmentId = execution.Environment.Id,
            Type = type,
            Key = key,
            CloudId = cloudId,
            Attributes = attributes is null ? null : JsonSerializer.Serialize(attributes, EnvironmentSpec.Json),
            CreatedAt = DateTimeOffset.UtcNow,
            CreatedByOperationId = execution.Operation.Id,
        }, cancellationToken);

    protected static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, EnvironmentSpec.Json)!;

    /// <summary>Runs a delete that may find its object already gone (idempotent teardown).</summary>
    protected static async Task IgnoreMissingAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (EntraServiceException ex) when (ex.IsNotFound || ex.Code == "Request_ResourceNotFound")
        {
        }
        catch (AwsServiceException ex) when (ex.Code == "NoSuchEntity")
        {
        }
    }
}
