using System.Text.Json;
using System.Text.Json.Nodes;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Federation;
using FederationPortal.Core.Federation.Handlers;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Monitoring;
using FederationPortal.Core.Tests.Lifecycle;

namespace FederationPortal.Core.Tests.Monitoring;

/// <summary>Entra's sign-in log and licences as a test sets them; a set <see cref="Failure"/> is thrown instead.</summary>
internal sealed class FakeEntraActivityLogs : IEntraActivityLogs
{
    public List<EntraSignIn> SignIns { get; } = [];

    public List<EntraSubscribedSku> Skus { get; } = [];

    public Exception? Failure { get; set; }

    public List<(DateTimeOffset Since, string? AppId)> Calls { get; } = [];

    public Task<IReadOnlyList<EntraSignIn>> ListSignInsAsync(DateTimeOffset since, string? appId, int maxItems, CancellationToken cancellationToken = default)
    {
        Calls.Add((since, appId));
        if (Failure is not null)
        {
            throw Failure;
        }

        return Task.FromResult<IReadOnlyList<EntraSignIn>>(SignIns
            .Where(s => s.CreatedDateTime >= since && (appId is null || s.AppId == appId))
            .OrderByDescending(s => s.CreatedDateTime).Take(maxItems).ToList());
    }

    public Task<IReadOnlyList<EntraDirectoryAudit>> ListDirectoryAuditsAsync(DateTimeOffset since, int maxItems, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<EntraDirectoryAudit>>([]);

    public Task<IReadOnlyList<EntraSubscribedSku>> ListSubscribedSkusAsync(CancellationToken cancellationToken = default)
        => Failure is not null ? throw Failure : Task.FromResult<IReadOnlyList<EntraSubscribedSku>>(Skus);
}

/// <summary>CloudTrail's event history as a test sets it, served newest first in pages of <see cref="PageSize"/>.</summary>
internal sealed class FakeCloudTrail : IAwsCloudTrail
{
    public List<CloudTrailEventRecord> Records { get; } = [];

    public Core.Aws.AwsServiceException? Failure { get; set; }

    public int PageSize { get; set; } = 50;

    public int PagesServed { get; private set; }

    public Task<CloudTrailPage> LookupEventsAsync(CloudTrailLookupQuery query, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        PagesServed++;
        var matching = Records
            .Where(r => (query.StartTime is null || r.EventTime >= query.StartTime) && (query.EndTime is null || r.EventTime <= query.EndTime)
                        && (query.AttributeKey != "EventName" || r.EventName == query.AttributeValue))
            .OrderByDescending(r => r.EventTime).ToList();
        var skip = query.NextToken is null ? 0 : int.Parse(query.NextToken, System.Globalization.CultureInfo.InvariantCulture);
        var page = matching.Skip(skip).Take(Math.Min(PageSize, query.MaxResults)).ToList();
        var next = skip + page.Count < matching.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new CloudTrailPage(page, next));
    }

    public async Task<IReadOnlyList<CloudTrailEventRecord>> LookupAllEventsAsync(CloudTrailLookupQuery query, int maxEvents, CancellationToken cancellationToken = default)
    {
        var all = new List<CloudTrailEventRecord>();
        string? next = null;
        do
        {
            var page = await LookupEventsAsync(query with { NextToken = next }, cancellationToken);
            all.AddRange(page.Events);
            next = page.NextToken;
        }
        while (next is not null && all.Count < maxEvents);

        return all.Take(maxEvents).ToList();
    }
}

internal sealed class ListEnvironmentStore(params FederationEnvironment[] environments) : IEnvironmentStore
{
    public Task<IReadOnlyList<FederationEnvironment>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<FederationEnvironment>>(environments);

    public Task<FederationEnvironment?> FindAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(environments.FirstOrDefault(e => e.Id == id));

    public Task<bool> NameExistsAsync(string name, Guid? exceptId, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task AddAsync(FederationEnvironment environment, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task UpdateAsync(FederationEnvironment environment, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>Two federations in one tenant and one AWS account, as the portal's inventory records them.</summary>
internal sealed class MonitoringWorld
{
    public const string Account = "111122223333";

    public static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public MonitoringWorld()
    {
        Production = Environment("Production");
        Staging = Environment("Staging");
        Store = new ListEnvironmentStore(Production, Staging);
    }

    public FederationEnvironment Production { get; }

    public FederationEnvironment Staging { get; }

    public ListEnvironmentStore Store { get; }

    public InMemoryInventory Inventory { get; } = new();

    public FakeEntraActivityLogs Entra { get; } = new();

    public FakeCloudTrail CloudTrail { get; } = new();

    public static string AppId(FederationEnvironment environment) => $"app-{environment.Name.ToLowerInvariant()}";

    public static string ServicePrincipalId(FederationEnvironment environment) => $"sp-{environment.Name.ToLowerInvariant()}";

    public static string ProviderArn(FederationEnvironment environment) => $"arn:aws:iam::{Account}:saml-provider/EntraID-{environment.Name}";

    public static string RoleArn(string roleName) => $"arn:aws:iam::{Account}:role/{roleName}";

    public async Task SeedAsync(DateTimeOffset? rolesCreatedAt = null)
    {
        foreach (var (environment, roles) in new[] { (Production, new[] { "Prod-Admin", "Prod-ReadOnly" }), (Staging, new[] { "Stage-Admin" }) })
        {
            await Inventory.UpsertAsync(new ManagedResource
            {
                EnvironmentId = environment.Id, Type = ResourceTypes.Application, Key = ResourceTypes.SingletonKey, CloudId = $"obj-{environment.Name}",
                Attributes = JsonSerializer.Serialize(new AppAttributes(AppId(environment), ServicePrincipalId(environment), $"AWS {environment.Name}"), EnvironmentSpec.Json),
            });
            await Inventory.UpsertAsync(new ManagedResource
            {
                EnvironmentId = environment.Id, Type = ResourceTypes.SamlProvider, Key = $"EntraID-{environment.Name}", CloudId = ProviderArn(environment),
            });
            foreach (var role in roles)
            {
                await Inventory.UpsertAsync(new ManagedResource
                {
                    EnvironmentId = environment.Id, Type = ResourceTypes.Role, Key = role, CloudId = RoleArn(role), CreatedAt = rolesCreatedAt ?? Now.AddDays(-90),
                });
            }
        }
    }

    public ActivityService Activity(MonitoringOptions? options = null)
        => new(Store, Inventory, Entra, CloudTrail, options ?? new MonitoringOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ActivityService>.Instance);

    public EntraSignIn SignIn(FederationEnvironment environment, string user, DateTimeOffset at, int errorCode = 0, string? reason = null)
    {
        var signIn = new EntraSignIn(Guid.NewGuid().ToString(), at, user, Guid.NewGuid().ToString(), user.Split('@')[0], AppId(environment), $"AWS {environment.Name}",
            "203.0.113.7", errorCode, errorCode == 0 ? null : reason ?? "refused", Guid.NewGuid().ToString());
        Entra.SignIns.Add(signIn);
        return signIn;
    }

    public CloudTrailEventRecord AssumeRole(FederationEnvironment environment, string user, string roleName, DateTimeOffset at, string? errorCode = null, string? errorMessage = null)
    {
        var record = AssumeRoleWithSamlRecord(ProviderArn(environment), user, RoleArn(roleName), at, errorCode, errorMessage);
        CloudTrail.Records.Add(record);
        return record;
    }

    /// <summary>An <c>AssumeRoleWithSAML</c> record shaped like CloudTrail's (userIdentity SAMLUser, requestParameters, responseElements).</summary>
    public static CloudTrailEventRecord AssumeRoleWithSamlRecord(string providerArn, string user, string roleArn, DateTimeOffset at, string? errorCode = null, string? errorMessage = null)
    {
        var eventId = Guid.NewGuid().ToString();
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var json = new JsonObject
        {
            ["eventVersion"] = "1.08",
            ["userIdentity"] = new JsonObject
            {
                ["type"] = "SAMLUser",
                ["principalId"] = $"Zq2a0kU9tQ3J0sZbYhq+hUqCw7Y=:{user}",
                ["userName"] = user,
                ["identityProvider"] = "Zq2a0kU9tQ3J0sZbYhq+hUqCw7Y=",
            },
            ["eventTime"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["eventSource"] = "sts.amazonaws.com",
            ["eventName"] = "AssumeRoleWithSAML",
            ["awsRegion"] = "us-east-1",
            ["sourceIPAddress"] = "198.51.100.23",
            ["userAgent"] = "aws-internal/3",
            ["requestParameters"] = new JsonObject
            {
                ["sAMLAssertionID"] = "_" + Guid.NewGuid().ToString("N"),
                ["roleSessionName"] = user,
                ["durationSeconds"] = 3600,
                ["roleArn"] = roleArn,
                ["principalArn"] = providerArn,
            },
            ["responseElements"] = errorCode is not null ? null : new JsonObject
            {
                ["credentials"] = new JsonObject { ["accessKeyId"] = "ASIAEXAMPLEEXAMPLE01", ["expiration"] = "Nov 27, 2026, 10:00:00 AM" },
                ["assumedRoleUser"] = new JsonObject { ["assumedRoleId"] = $"AROAEXAMPLE:{user}", ["arn"] = $"arn:aws:sts::{Account}:assumed-role/{roleName}/{user}" },
                ["subject"] = user,
                ["subjectType"] = "persistent",
                ["audience"] = "https://signin.aws.amazon.com/saml",
            },
            ["requestID"] = Guid.NewGuid().ToString(),
            ["eventID"] = eventId,
            ["readOnly"] = true,
            ["eventType"] = "AwsApiCall",
            ["managementEvent"] = true,
            ["recipientAccountId"] = Account,
        };
        if (errorCode is not null)
        {
            json["errorCode"] = errorCode;
            json["errorMessage"] = errorMessage;
        }

        return new CloudTrailEventRecord(eventId, "AssumeRoleWithSAML", "sts.amazonaws.com", at, user, errorCode is null ? "ASIAEXAMPLEEXAMPLE01" : null, true,
            [new CloudTrailResource("AWS::IAM::Role", roleArn), new CloudTrailResource("AWS::IAM::SAMLProvider", providerArn)], json.ToJsonString());
    }

    private static FederationEnvironment Environment(string name) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        EntraTenantId = Guid.NewGuid().ToString(),
        AwsAccountId = Account,
        Status = EnvironmentStatus.Active,
        DesiredStateJson = new EnvironmentSpec { SamlProviderName = $"EntraID-{name}" }.ToJson(),
    };
}
