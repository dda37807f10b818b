using System.Text.Json.Nodes;

namespace FederationPortal.Sandbox.Entra.Graph;

internal sealed class StoredSyncJob
{
    public const string Kind = "entra.syncJob";

    public string Id { get; set; } = "";

    public string ServicePrincipalId { get; set; } = "";

    public string TemplateId { get; set; } = "";

    public string StatusCode { get; set; } = "NotRun";

    public string ScheduleState { get; set; } = "Disabled";

    public string? LastState { get; set; }

    public DateTimeOffset? LastBegan { get; set; }

    public DateTimeOffset? LastEnded { get; set; }

    public DateTimeOffset? LastSucceeded { get; set; }

    public string? LastErrorCode { get; set; }

    public string? LastErrorMessage { get; set; }

    public int CountImported { get; set; }

    public int SuccessiveFailures { get; set; }

    public DateTimeOffset? QuarantineBegan { get; set; }
}

/// <summary>The admin credentials saved for a service principal's provisioning (kept inside the sandbox, never served).</summary>
internal sealed class StoredSyncSecrets
{
    public const string Kind = "entra.syncSecrets";

    public string ServicePrincipalId { get; set; } = "";

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }
}

internal sealed class StoredProvisioningLog
{
    public const string Kind = "entra.provisioningLog";

    public string Id { get; set; } = "";

    public DateTimeOffset ActivityDateTime { get; set; }

    public string JobId { get; set; } = "";

    public string CycleId { get; set; } = "";

    public string ServicePrincipalId { get; set; } = "";

    public string ServicePrincipalDisplayName { get; set; } = "";

    public string Status { get; set; } = "success";

    public string? ErrorCode { get; set; }

    public string? Reason { get; set; }

    public int DurationInMilliseconds { get; set; }

    public List<string> Imported { get; set; } = [];

    public List<string> Disabled { get; set; } = [];

    public List<string> Skipped { get; set; } = [];
}
