using System.Text.Json.Nodes;
using FederationPortal.Core.Entra;

namespace FederationPortal.Core.Doctor.Checks;

/// <summary>
/// The claims mapping policy must emit the Role and RoleSessionName attributes AWS requires, spelled exactly (keys and
/// claim types are case-sensitive, and Entra ignores a misspelt key silently).
/// </summary>
internal sealed class ClaimsPolicyCheck : IDoctorCheck
{
    public const string CheckId = "claims-policy";

    private static readonly string[] ClaimKeys = ["Source", "ID", "Value", "SamlClaimType", "JwtClaimType", "SamlNameIdFormat", "TransformationId", "ExtensionID"];
    private static readonly string[] RootKeys = ["Version", "IncludeBasicClaimSet", "ClaimsSchema", "ClaimsTransformations"];

    public string Id => CheckId;

    public string Title => "The claims mapping policy sends Role and RoleSessionName";

    public Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(Judge(context));

    private IReadOnlyList<DoctorFinding> Judge(DoctorContext context)
    {
        const string subject = "Claims mapping policy";
        const string fixWords = "Assign the portal's claims mapping policy (Role from assignedroles, RoleSessionName, SessionDuration) to the app.";
        if (context.ServicePrincipal is null || context.ClaimsPolicies is not { } policies)
        {
            return [new(Id, DoctorStatus.Skipped, subject, "The app's service principal could not be read.")];
        }

        if (policies.Count == 0)
        {
            return [new(Id, DoctorStatus.Failed, subject,
                "No claims mapping policy is assigned to the app: Entra sends no Role attribute, and AWS answers 'Your request included an invalid SAML response'.",
                fixWords, DoctorFixes.ClaimsPolicy)];
        }

        if (policies.Count > 1)
        {
            return [new(Id, DoctorStatus.Failed, subject,
                $"{policies.Count} claims mapping policies are assigned ({string.Join(", ", policies.Select(p => p.DisplayName))}): Entra refuses to issue tokens for an app with more than one.",
                fixWords, DoctorFixes.ClaimsPolicy)];
        }

        var problems = Problems(policies[0]);
        return problems.Count == 0
            ? [new(Id, DoctorStatus.Passed, subject, $"'{policies[0].DisplayName}' sends Role (from assignedroles) and RoleSessionName.")]
            : problems.Select(p => new DoctorFinding(Id, DoctorStatus.Failed, subject, $"'{policies[0].DisplayName}': {p}", fixWords, DoctorFixes.ClaimsPolicy)).ToList();
    }

    internal static List<string> Problems(EntraClaimsMappingPolicy policy)
    {
        var problems = new List<string>();
        JsonObject? root = null;
        try
        {
            root = policy.Definition.Count == 1 ? JsonNode.Parse(policy.Definition[0]) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        if (root?["ClaimsMappingPolicy"] is not JsonObject body)
        {
            problems.Add("its definition is not a ClaimsMappingPolicy JSON object; Entra ignores it.");
            return problems;
        }

        foreach (var (key, _) in body)
        {
            WrongCase(key, RootKeys, problems);
        }

        var claims = (body["ClaimsSchema"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var claim in claims)
        {
            foreach (var (key, _) in claim)
            {
                WrongCase(key, ClaimKeys, problems);
            }
        }

        string? Get(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        JsonObject? Claim(string type) => claims.FirstOrDefault(c => Get(c, "SamlClaimType") == type);

        void RequireClaim(string type, string name, string consequence, Func<JsonObject, bool> sourceOk, string sourceWords)
        {
            if (Claim(type) is { } found)
            {
                if (!sourceOk(found))
                {
                    problems.Add($"the {name} claim does not come from {sourceWords}.");
                }

                return;
            }

            var miscased = claims.Select(c => Get(c, "SamlClaimType")).FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
            problems.Add(miscased is not null
                ? $"the {name} claim type is spelt '{miscased}'; AWS needs exactly '{type}' (case-sensitive), so {consequence}"
                : $"there is no {name} claim ({type}), so {consequence}");
        }

        RequireClaim(EntraWellKnown.RoleClaim, "Role", "AWS answers 'Your request included an invalid SAML response'.",
            c => Get(c, "Source") == "user" && Get(c, "ID") == "assignedroles", "the user's assigned roles (Source user, ID assignedroles)");
        RequireClaim(EntraWellKnown.RoleSessionNameClaim, "RoleSessionName", "AWS refuses the response.",
            c => Get(c, "Source") == "user" && Get(c, "ID") is { Length: > 0 }, "a user attribute (Source user)");

        if (Claim(EntraWellKnown.SessionDurationClaim) is { } duration
            && !(int.TryParse(Get(duration, "Value"), out var seconds) && seconds is >= 900 and <= 43200))
        {
            problems.Add($"SessionDuration must be a constant 'Value' between 900 and 43200 seconds (found Value '{Get(duration, "Value")}', ID '{Get(duration, "ID")}'); AWS refuses anything else.");
        }

        return problems;
    }

    private static void WrongCase(string key, string[] allowed, List<string> problems)
    {
        if (!allowed.Contains(key, StringComparer.Ordinal) && allowed.FirstOrDefault(a => a.Equals(key, StringComparison.OrdinalIgnoreCase)) is { } right)
        {
            problems.Add($"the key '{key}' should be '{right}': keys are case-sensitive and Entra silently ignores a misspelt one.");
        }
    }
}
