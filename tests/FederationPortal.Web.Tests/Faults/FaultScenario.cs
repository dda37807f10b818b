using System.Globalization;
using FederationPortal.Core.Federation;

namespace FederationPortal.Web.Tests.Faults;

/// <summary>
/// One randomized run, drawn from its seed alone: how badly the sandbox clouds misbehave (throttling, 5xx, latency,
/// for AWS and Graph alike) and what the environment asks for (roles, assignments, provisioning). The same seed
/// always gives the same scenario, so a failing run is repeated with <c>FP_FAULT_SEEDS=&lt;seed&gt;</c>.
/// </summary>
internal sealed record FaultScenario(int Seed, double ThrottleRate, double ServerErrorRate, int LatencyMilliseconds, string EnvironmentName, EnvironmentSpec Spec)
{
    /// <summary>When the first apply fails, the admin tears the environment down instead of retrying it.</summary>
    public bool GivesUpOnFailedSetup { get; init; }

    private static readonly (string Id, PrincipalKind Kind, string Name)[] Principals =
    [
        ("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f04", PrincipalKind.User, "diego.siciliani@contoso.example"),
        ("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f05", PrincipalKind.User, "lee.gu@contoso.example"),
        ("3f6b2a1e-8c4d-4f7a-9b2e-1d5c6a7e8f06", PrincipalKind.User, "isaiah.langer@contoso.example"),
        ("7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c01", PrincipalKind.Group, "AWS Administrators"),
        ("7a2c9e41-5b3d-4c6e-8f1a-2b4d6e8a0c02", PrincipalKind.Group, "AWS Read-Only"),
    ];

    private static readonly RoleTemplate[] Templates = [RoleTemplate.Administrator, RoleTemplate.ReadOnly, RoleTemplate.S3ReadOnly, RoleTemplate.PowerUser, RoleTemplate.SecurityAudit, RoleTemplate.Billing];

    /// <summary>Faults: throttling 0–0.3, server errors 0–0.2, latency 0–30 ms; 1–3 roles, 0–3 assignments, provisioning or direct app roles.</summary>
    public static FaultScenario From(int seed, string namePrefix = "Faults")
    {
        var random = new Random(seed);
        var throttle = Math.Round(random.NextDouble() * 0.3, 3);
        var serverErrors = Math.Round(random.NextDouble() * 0.2, 3);
        var latency = random.Next(0, 31);
        var name = $"{namePrefix} {seed:D3}";
        var roles = Enumerable.Range(1, random.Next(1, 4))
            .Select(i => new RoleSpec
            {
                Name = $"{namePrefix}{seed:D3}-Role{i}",
                Template = Templates[random.Next(Templates.Length)],
                MaxSessionDurationSeconds = random.Next(2) == 0 ? 3600 : 7200,
            })
            .ToList();
        var assignments = new List<AssignmentSpec>();
        var wanted = random.Next(0, 4);
        while (assignments.Count < wanted)
        {
            var (id, kind, principalName) = Principals[random.Next(Principals.Length)];
            var role = roles[random.Next(roles.Count)].Name;
            if (!assignments.Any(a => a.PrincipalId == id && a.RoleName == role))
            {
                assignments.Add(new AssignmentSpec { PrincipalId = id, PrincipalType = kind, PrincipalName = principalName, RoleName = role });
            }
        }

        var spec = new EnvironmentSpec
        {
            Roles = roles,
            Provisioning = new ProvisioningSpec { Enabled = random.Next(2) == 0 },
            Assignments = assignments,
        };
        return new FaultScenario(seed, throttle, serverErrors, latency, name, spec) { GivesUpOnFailedSetup = random.Next(2) == 0 };
    }

    /// <summary>The portal settings that make the sandbox clouds misbehave as this scenario says.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Sandbox:Faults:ThrottleRate"] = ThrottleRate.ToString(CultureInfo.InvariantCulture),
        ["Sandbox:Faults:ServerErrorRate"] = ServerErrorRate.ToString(CultureInfo.InvariantCulture),
        ["Sandbox:Faults:LatencyMilliseconds"] = LatencyMilliseconds.ToString(CultureInfo.InvariantCulture),
        ["Sandbox:Faults:Seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        // Entra's replication lag, short but not zero: a retry that comes too soon does not see the app yet.
        ["Sandbox:InstantiateDelayMilliseconds"] = "150",
    };

    public override string ToString()
        => $"seed {Seed}: throttle {ThrottleRate:0.###}, 5xx {ServerErrorRate:0.###}, latency {LatencyMilliseconds} ms; " +
           $"{Spec.Roles.Count} role(s), {Spec.Assignments.Count} assignment(s), provisioning {(Spec.Provisioning.Enabled ? "on" : "off")}{(GivesUpOnFailedSetup ? "; gives up on a failed setup" : "")}";

    /// <summary>The seeds named in an environment variable (<c>1,7,12</c>), or null when it is not set.</summary>
    public static IReadOnlyList<int>? SeedsFrom(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList()
            : null;
}
