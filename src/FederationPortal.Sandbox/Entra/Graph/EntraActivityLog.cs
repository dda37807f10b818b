using System.Text.Json;
using FederationPortal.Sandbox.Storage;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>
/// The emulated tenant's activity reports: sign-ins (<c>/auditLogs/signIns</c>) and directory audits
/// (<c>/auditLogs/directoryAudits</c>), appended to the sandbox store's event log, newest first, bounded like
/// Entra's own retention (30 days) and to a maximum count.
/// </summary>
internal sealed class EntraActivityLog
{
    public const string SignInStream = "entra.signIns";
    public const string AuditStream = "entra.directoryAudits";
    public const int MaxEvents = 20_000;
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>Where sign-ins were kept before the event log: documents, moved to the log once.</summary>
    private const string LegacySignInKind = "entra.signIn";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SandboxDocumentStore store;
    private readonly TimeProvider time;

    public EntraActivityLog(SandboxDocumentStore store, TimeProvider time)
    {
        this.store = store;
        this.time = time;
        foreach (var legacy in store.List<StoredSignIn>(LegacySignInKind).OrderBy(s => s.CreatedDateTime))
        {
            legacy.CorrelationId = legacy.CorrelationId.Length > 0 ? legacy.CorrelationId : Guid.NewGuid().ToString();
            RecordSignIn(legacy);
            store.Delete(LegacySignInKind, legacy.Id);
        }
    }

    public void RecordSignIn(StoredSignIn signIn) => Append(SignInStream, signIn.CreatedDateTime, signIn);

    public void RecordAudit(StoredDirectoryAudit audit) => Append(AuditStream, audit.ActivityDateTime, audit);

    public IReadOnlyList<StoredSignIn> SignIns() => Read<StoredSignIn>(SignInStream);

    public IReadOnlyList<StoredDirectoryAudit> DirectoryAudits() => Read<StoredDirectoryAudit>(AuditStream);

    private void Append<T>(string stream, DateTimeOffset at, T entry)
        => store.AppendEvent(stream, at, JsonSerializer.Serialize(entry, Json), MaxEvents, time.GetUtcNow() - Retention);

    private List<T> Read<T>(string stream)
        => store.ReadEvents(stream, time.GetUtcNow() - Retention, to: null, after: null, MaxEvents)
            .Select(e => JsonSerializer.Deserialize<T>(e.Json, Json)!)
            .ToList();
}

/// <summary>One sign-in as the emulated tenant records it (Graph's <c>signIn</c>).</summary>
internal sealed class StoredSignIn
{
    public string Id { get; set; } = "";

    public DateTimeOffset CreatedDateTime { get; set; }

    public string UserPrincipalName { get; set; } = "";

    public string? UserDisplayName { get; set; }

    public string? UserId { get; set; }

    public string AppId { get; set; } = "";

    public string AppDisplayName { get; set; } = "";

    public string? IpAddress { get; set; }

    public string CorrelationId { get; set; } = "";

    public string? UserAgent { get; set; }

    public int ErrorCode { get; set; }

    public string? FailureReason { get; set; }

    public string? AdditionalDetails { get; set; }
}

/// <summary>One directory audit event as the emulated tenant records it (Graph's <c>directoryAudit</c>).</summary>
internal sealed class StoredDirectoryAudit
{
    public string Id { get; set; } = "";

    public DateTimeOffset ActivityDateTime { get; set; }

    public string ActivityDisplayName { get; set; } = "";

    public string Category { get; set; } = "";

    public string CorrelationId { get; set; } = "";

    public string LoggedByService { get; set; } = "Core Directory";

    public string OperationType { get; set; } = "";

    public string Result { get; set; } = "success";

    public string ResultReason { get; set; } = "";

    public string InitiatorAppId { get; set; } = "";

    public string InitiatorDisplayName { get; set; } = "";

    public string InitiatorServicePrincipalId { get; set; } = "";

    public List<StoredAuditTarget> TargetResources { get; set; } = [];

    public List<KeyValuePair<string, string>> AdditionalDetails { get; set; } = [];
}

internal sealed class StoredAuditTarget
{
    public string Id { get; set; } = "";

    public string? DisplayName { get; set; }

    public string Type { get; set; } = "";

    public string? UserPrincipalName { get; set; }

    public List<StoredModifiedProperty> ModifiedProperties { get; set; } = [];
}

internal sealed record StoredModifiedProperty(string DisplayName, string? OldValue, string? NewValue);
