using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.Sandbox.Aws.Protocol;
using FederationPortal.Sandbox.Entra.Tenant;
using FederationPortal.Sandbox.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Entra.Graph;

/// <summary>
/// The AWS app's provisioning connector: jobs from the <c>aws</c> template, "Test Connection", saved secrets and runs.
/// Like Entra's, it only imports roles: it calls IAM (<c>ListRoles</c>, <c>ListAccountAliases</c>) with the admin's key —
/// in process, authenticated and authorized as a signed request would be, so the emulator needs no AWS client — and writes the eligible roles to the service principal's app roles.
/// </summary>
internal sealed partial class SandboxSynchronization
{
    public const int MaxRoleValueLength = 240;

    private readonly SandboxDocumentStore store;
    private readonly SandboxEntraTenant tenant;
    private readonly SigV4Verifier verifier;
    private readonly SandboxIamService iam;
    private readonly SandboxOptions options;
    private readonly ILogger<SandboxSynchronization> logger;

    public SandboxSynchronization(
        SandboxDocumentStore store,
        SandboxEntraTenant tenant,
        SigV4Verifier verifier,
        SandboxIamService iam,
        IOptions<SandboxOptions> options,
        ILogger<SandboxSynchronization> logger)
    {
        this.store = store;
        this.tenant = tenant;
        this.verifier = verifier;
        this.iam = iam;
        this.options = options.Value;
        this.logger = logger;
    }

    private DateTimeOffset Now => tenant.Time.GetUtcNow();

    public IReadOnlyList<JsonObject> Templates(string spId)
    {
        var sp = tenant.ServicePrincipal(spId);
        if (sp.ApplicationTemplateId != Core.Entra.EntraWellKnown.AwsSingleAccountTemplateId)
        {
            return [];
        }

        return
        [
            new JsonObject
            {
                ["id"] = "aws",
                ["applicationId"] = sp.AppId,
                ["default"] = true,
                ["description"] = "Imports the IAM roles of an AWS account as app roles.",
                ["discoverable"] = true,
                ["factoryTag"] = "aws",
                ["metadata"] = new JsonArray(),
            },
        ];
    }

    public StoredSyncJob CreateJob(string spId, JsonObject body)
    {
        var templateId = body["templateId"]?.GetValue<string>() ?? throw GraphException.BadRequest("Property 'templateId' is required.");
        if (!Templates(spId).Any(t => t["id"]!.GetValue<string>() == templateId))
        {
            throw new GraphException(400, "BadRequest", $"The template '{templateId}' is not available for this service principal.");
        }

        var job = new StoredSyncJob
        {
            Id = $"{templateId}.{Guid.NewGuid():N}.{options.TenantId}",
            ServicePrincipalId = spId,
            TemplateId = templateId,
            StatusCode = "NotRun",
        };
        store.Put(StoredSyncJob.Kind, job.Id, job);
        return job;
    }

    public IEnumerable<StoredSyncJob> Jobs(string spId)
    {
        tenant.ServicePrincipal(spId);
        return store.List<StoredSyncJob>(StoredSyncJob.Kind).Where(j => j.ServicePrincipalId == spId);
    }

    public StoredSyncJob Job(string spId, string jobId)
        => store.Get<StoredSyncJob>(StoredSyncJob.Kind, jobId) is { } job && job.ServicePrincipalId == tenant.ServicePrincipal(spId).Id
            ? job
            : throw GraphException.NotFound(jobId);

    public void DeleteJob(string spId, string jobId) => store.Delete(StoredSyncJob.Kind, Job(spId, jobId).Id);

    public void PutSecrets(string spId, JsonObject body)
    {
        var sp = tenant.ServicePrincipal(spId);
        var (accessKeyId, secret) = ReadCredentials(body["value"]);
        store.Put(StoredSyncSecrets.Kind, sp.Id, new StoredSyncSecrets { ServicePrincipalId = sp.Id, AccessKeyId = accessKeyId, SecretAccessKey = secret });
    }

    /// <summary>"Test Connection": the same IAM calls a run makes, with the given (or saved) key.</summary>
    public void ValidateCredentials(string spId, string jobId, JsonObject body)
    {
        Job(spId, jobId);
        var (accessKeyId, secret) = body["useSavedCredentials"]?.GetValue<bool>() == true
            ? Saved(spId) ?? throw GraphException.BadRequest("No saved credentials exist for this service principal.")
            : ReadCredentials(body["credentials"]);
        try
        {
            ListRoles(accessKeyId, secret);
        }
        catch (AwsQueryError e)
        {
            throw CredentialsRejected(e);
        }
    }

    public void Start(string spId, string jobId)
    {
        var job = Job(spId, jobId);
        job.StatusCode = "Active";
        job.ScheduleState = "Active";
        job.QuarantineBegan = null; // as in Entra, start clears the quarantine; lastExecution stays until the cycle ends
        store.Put(StoredSyncJob.Kind, job.Id, job);
        _ = Task.Run(() =>
        {
            try
            {
                Run(spId, jobId);
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
                // The portal is shutting down under a running cycle; the job keeps its last state.
                logger.LogWarning(e, "Sandbox provisioning cycle of {JobId} interrupted", jobId);
            }
        });
    }

    /// <summary>One provisioning cycle: import the eligible roles, disable the ones that disappeared, log it.</summary>
    internal void Run(string spId, string jobId)
    {
        var began = Now;
        var log = new StoredProvisioningLog
        {
            Id = Guid.NewGuid().ToString(),
            ActivityDateTime = began,
            JobId = jobId,
            CycleId = Guid.NewGuid().ToString(),
            ServicePrincipalId = spId,
        };
        try
        {
            var sp = tenant.ServicePrincipal(spId);
            log.ServicePrincipalDisplayName = sp.DisplayName;
            var (accessKeyId, secret) = Saved(spId) ?? throw new AwsQueryError("MissingCredentials", "No admin credentials are saved for provisioning.", System.Net.HttpStatusCode.BadRequest);
            var roles = ListRoles(accessKeyId, secret);

            var eligible = new List<string>();
            foreach (var role in roles)
            {
                var providers = SamlProvidersTrustedBy(role.AssumeRolePolicyDocument);
                var value = providers.Count == 1 ? $"{role.Arn},{providers[0]}" : null;
                if (value is not null && value.Length < MaxRoleValueLength)
                {
                    eligible.Add(value);
                }
                else
                {
                    log.Skipped.Add(role.Arn);
                }
            }

            lock (tenant.Gate)
            {
                sp = tenant.ServicePrincipal(spId);
                foreach (var role in sp.AppRoles.Where(r => r.Value is not null && ImportedValue().IsMatch(r.Value)))
                {
                    var keep = eligible.Contains(role.Value!, StringComparer.Ordinal);
                    if (role.IsEnabled && !keep)
                    {
                        role.IsEnabled = false;
                        log.Disabled.Add(role.Value!);
                    }
                    else if (!role.IsEnabled && keep)
                    {
                        role.IsEnabled = true;
                        log.Imported.Add(role.Value!);
                    }
                }

                foreach (var value in eligible.Where(v => !sp.AppRoles.Any(r => string.Equals(r.Value, v, StringComparison.Ordinal))))
                {
                    var (roleArn, providerArn) = (value[..value.IndexOf(',', StringComparison.Ordinal)], value[(value.IndexOf(',', StringComparison.Ordinal) + 1)..]);
                    var displayName = $"{roleArn[(roleArn.LastIndexOf('/') + 1)..]},{providerArn[(providerArn.LastIndexOf('/') + 1)..]}";
                    sp.AppRoles.Add(new StoredAppRole { Id = Guid.NewGuid(), DisplayName = displayName, Description = displayName, Value = value, AllowedMemberTypes = ["User"] });
                    log.Imported.Add(value);
                }

                tenant.SaveServicePrincipal(sp);
            }

            Finish(spId, jobId, began, log, null);
        }
        catch (Exception e) when (e is AwsQueryError or GraphException or JsonException)
        {
            var (code, message) = e is AwsQueryError aws ? (aws.Code, aws.Message) : (e.GetType().Name, e.Message);
            log.Status = "failure";
            log.ErrorCode = code;
            log.Reason = message;
            Finish(spId, jobId, began, log, (code, message));
        }
    }

    private void Finish(string spId, string jobId, DateTimeOffset began, StoredProvisioningLog log, (string Code, string Message)? error)
    {
        log.DurationInMilliseconds = (int)(Now - began).TotalMilliseconds;
        store.Put(StoredProvisioningLog.Kind, log.Id, log);
        if (store.Get<StoredSyncJob>(StoredSyncJob.Kind, jobId) is not { } job || job.ServicePrincipalId != spId)
        {
            return;
        }

        job.LastBegan = began;
        job.LastEnded = Now;
        job.LastState = error is null ? "Succeeded" : "Failed";
        job.LastErrorCode = error?.Code;
        job.LastErrorMessage = error?.Message;
        job.CountImported = log.Imported.Count;
        if (error is null)
        {
            job.LastSucceeded = Now;
            job.SuccessiveFailures = 0;
            job.StatusCode = "Active";
        }
        else
        {
            job.SuccessiveFailures++;
            job.StatusCode = "Quarantine";
            job.QuarantineBegan ??= Now;
        }

        store.Put(StoredSyncJob.Kind, job.Id, job);
        logger.LogInformation("Sandbox provisioning cycle of {JobId}: {Status}, {Imported} imported, {Disabled} disabled, {Skipped} skipped",
            jobId, log.Status, log.Imported.Count, log.Disabled.Count, log.Skipped.Count);
    }

    public IEnumerable<StoredProvisioningLog> Logs => store.List<StoredProvisioningLog>(StoredProvisioningLog.Kind).OrderByDescending(l => l.ActivityDateTime);

    private (string AccessKeyId, string Secret)? Saved(string spId)
        => store.Get<StoredSyncSecrets>(StoredSyncSecrets.Kind, spId) is { AccessKeyId: { } id, SecretAccessKey: { } secret } ? (id, secret) : null;

    private static (string AccessKeyId, string Secret) ReadCredentials(JsonNode? node)
    {
        if (node is not JsonArray pairs)
        {
            throw GraphException.BadRequest("Credentials must be an array of {key, value} pairs.");
        }

        string? Find(string key) => pairs.OfType<JsonObject>()
            .FirstOrDefault(p => string.Equals(p["key"]?.GetValue<string>(), key, StringComparison.OrdinalIgnoreCase))?["value"]?.GetValue<string>();
        var accessKeyId = Find("ClientSecret");
        var secret = Find("SecretToken");
        if (string.IsNullOrWhiteSpace(accessKeyId) || string.IsNullOrWhiteSpace(secret))
        {
            throw GraphException.BadRequest("The AWS connector needs 'ClientSecret' (the access key id) and 'SecretToken' (the secret access key).");
        }

        return (accessKeyId, secret);
    }

    private IReadOnlyList<(string Arn, string AssumeRolePolicyDocument)> ListRoles(string accessKeyId, string secret)
        => iam.ListAllRoles(verifier.Authenticate(accessKeyId, secret));

    private static GraphException CredentialsRejected(AwsQueryError e) => new(400, "CredentialValidationFailed",
        $"You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account. AWS answered {e.Code}: {e.Message}");

    /// <summary>The SAML providers an Allow statement for <c>sts:AssumeRoleWithSAML</c> names as federated principal.</summary>
    internal static IReadOnlyList<string> SamlProvidersTrustedBy(string? trustPolicy)
    {
        if (string.IsNullOrWhiteSpace(trustPolicy))
        {
            return [];
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(trustPolicy);
        }
        catch (JsonException)
        {
            return [];
        }

        static IEnumerable<string> Strings(JsonNode? node) => node switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            JsonArray a => a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>(),
            _ => [],
        };

        var statements = root?["Statement"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject single => [single],
            _ => [],
        };
        return statements
            .Where(s => Strings(s["Effect"]).FirstOrDefault() == "Allow")
            .Where(s => Strings(s["Action"]).Any(a => a.Equals("sts:AssumeRoleWithSAML", StringComparison.OrdinalIgnoreCase)))
            .SelectMany(s => Strings((s["Principal"] as JsonObject)?["Federated"]))
            .Where(p => p.Contains(":saml-provider/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public static JsonObject ToJson(StoredSyncJob job) => new()
    {
        ["id"] = job.Id,
        ["templateId"] = job.TemplateId,
        ["schedule"] = new JsonObject { ["expiration"] = null, ["interval"] = "PT40M", ["state"] = job.ScheduleState },
        ["status"] = new JsonObject
        {
            ["code"] = char.ToLowerInvariant(job.StatusCode[0]) + job.StatusCode[1..],
            ["countSuccessiveCompleteFailures"] = job.SuccessiveFailures,
            ["escrowsPruned"] = false,
            ["lastExecution"] = job.LastState is null ? null : Execution(job, job.LastState, job.LastErrorCode, job.LastErrorMessage),
            ["lastSuccessfulExecution"] = job.LastSucceeded is null ? null : Execution(job, "Succeeded", null, null),
            ["lastSuccessfulExecutionWithExports"] = null,
            ["progress"] = new JsonArray(),
            ["quarantine"] = job.QuarantineBegan is { } began ? new JsonObject
            {
                ["currentBegan"] = GraphJson.Date(began),
                ["nextAttempt"] = GraphJson.Date(began.AddMinutes(40)),
                ["reason"] = "EncounteredQuarantineException",
                ["seriesBegan"] = GraphJson.Date(began),
                ["seriesCount"] = job.SuccessiveFailures,
                ["error"] = new JsonObject { ["code"] = job.LastErrorCode, ["message"] = job.LastErrorMessage, ["tenantActionable"] = true },
            } : null,
            ["steadyStateFirstAchievedTime"] = job.LastSucceeded is null ? null : GraphJson.Date(job.LastSucceeded.Value),
            ["steadyStateLastAchievedTime"] = job.LastSucceeded is null ? null : GraphJson.Date(job.LastSucceeded.Value),
            ["synchronizedEntryCountByType"] = new JsonArray(),
            ["troubleshootingUrl"] = null,
        },
        ["synchronizationJobSettings"] = new JsonArray(),
    };

    private static JsonObject Execution(StoredSyncJob job, string state, string? errorCode, string? errorMessage) => new()
    {
        ["activityIdentifier"] = job.Id,
        ["countEntitled"] = 0,
        ["countEntitledForProvisioning"] = 0,
        ["countEscrowed"] = 0,
        ["countEscrowedRaw"] = 0,
        ["countExported"] = 0,
        ["countExports"] = 0,
        ["countImported"] = job.CountImported,
        ["countImportedDeltas"] = 0,
        ["countImportedReferenceDeltas"] = 0,
        ["state"] = state,
        ["timeBegan"] = job.LastBegan is null ? null : GraphJson.PreciseDate(job.LastBegan.Value),
        ["timeEnded"] = job.LastEnded is null ? null : GraphJson.PreciseDate(job.LastEnded.Value),
        ["error"] = errorCode is null ? null : new JsonObject { ["code"] = errorCode, ["message"] = errorMessage, ["tenantActionable"] = true },
    };

    public static JsonObject ToJson(StoredProvisioningLog log) => new()
    {
        ["id"] = log.Id,
        ["activityDateTime"] = GraphJson.Date(log.ActivityDateTime),
        ["changeId"] = log.Id,
        ["cycleId"] = log.CycleId,
        ["durationInMilliseconds"] = log.DurationInMilliseconds,
        ["jobId"] = log.JobId,
        ["provisioningAction"] = "other",
        ["initiatedBy"] = new JsonObject { ["id"] = "", ["displayName"] = "Microsoft Entra ID", ["initiatorType"] = "system" },
        ["provisioningStatusInfo"] = new JsonObject
        {
            ["status"] = log.Status,
            ["errorInformation"] = log.ErrorCode is null ? null : new JsonObject { ["errorCode"] = log.ErrorCode, ["reason"] = log.Reason, ["errorCategory"] = "NonServiceFailure" },
        },
        ["provisioningSteps"] = new JsonArray(
            new JsonObject
            {
                ["name"] = "RoleImport",
                ["provisioningStepType"] = "import",
                ["status"] = log.Status,
                ["description"] = log.ErrorCode is null
                    ? $"Imported {log.Imported.Count} roles, disabled {log.Disabled.Count}, skipped {log.Skipped.Count} (trust policy must name exactly one SAML provider; 'roleArn,providerArn' shorter than {MaxRoleValueLength} characters)."
                    : $"Role import failed: {log.ErrorCode}: {log.Reason}",
                ["details"] = new JsonObject
                {
                    ["imported"] = string.Join(";", log.Imported),
                    ["disabled"] = string.Join(";", log.Disabled),
                    ["skipped"] = string.Join(";", log.Skipped),
                },
            }),
        ["servicePrincipal"] = new JsonObject { ["id"] = log.ServicePrincipalId, ["displayName"] = log.ServicePrincipalDisplayName },
        ["sourceSystem"] = new JsonObject { ["id"] = "aws", ["displayName"] = "Amazon Web Services (AWS)" },
        ["targetSystem"] = new JsonObject { ["id"] = "entra", ["displayName"] = "Microsoft Entra ID" },
        ["sourceIdentity"] = new JsonObject { ["id"] = "", ["displayName"] = "IAM roles", ["identityType"] = "Role" },
        ["targetIdentity"] = new JsonObject { ["id"] = log.ServicePrincipalId, ["displayName"] = log.ServicePrincipalDisplayName, ["identityType"] = "ServicePrincipal" },
        ["modifiedProperties"] = new JsonArray(),
        ["tenantId"] = null,
    };

    [GeneratedRegex(@"^arn:aws:iam::\d{12}:role/.+,arn:aws:iam::\d{12}:saml-provider/.+$")]
    private static partial Regex ImportedValue();
}
