using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Saml;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Federation;

/// <summary>One check of a sign-in test, in order.</summary>
public sealed record SignInTestStep(string Name, bool Passed, string Detail, string? Fix = null);

/// <summary>What a sign-in test found. Never holds credentials: only who AWS says the session is.</summary>
public sealed record SignInTestResult(
    bool Success,
    IReadOnlyList<SignInTestStep> Steps,
    string? AssumedRoleArn = null,
    DateTimeOffset? Expiration = null,
    string? CallerArn = null,
    string? CallerAccount = null,
    SamlAssertionDetails? Assertion = null);

/// <summary>
/// Proves a federation works: gets the SAML response Entra would post to AWS, checks it against every rule AWS
/// applies (explaining each failure with its fix), calls STS AssumeRoleWithSAML and asks STS who the session is.
/// </summary>
public sealed class SignInTestService(
    SetupService setup,
    ISamlSignInSource identityProvider,
    IAwsIam iam,
    IAwsSts sts,
    IAuditTrail audit,
    TimeProvider clock)
{
    public bool CanSignInDirectly => identityProvider.IsAvailable;

    /// <summary>Sandbox: signs <paramref name="user"/> in through the emulated tenant and assumes <paramref name="roleName"/>.</summary>
    public async Task<SignInTestResult> SignInAsync(PortalActor actor, Guid environmentId, string user, string roleName, CancellationToken cancellationToken = default)
    {
        var steps = new List<SignInTestStep>();
        string? response = null;
        try
        {
            var app = await AppIdAsync(environmentId, cancellationToken);
            response = await identityProvider.GetSamlResponseAsync(app, user, cancellationToken);
            steps.Add(new("Entra sign-in", true, $"Entra issued a SAML response for {user}."));
        }
        catch (SamlSignInRefusedException ex)
        {
            steps.Add(new("Entra sign-in", false, ex.Message, ex.Code == "AADSTS50105"
                ? $"Assign {user} (or a group they belong to) to a role on the User assignment stage."
                : "Check that the user exists, is enabled, and that the app is configured for SAML."));
        }
        catch (InvalidOperationException ex)
        {
            steps.Add(new("Entra sign-in", false, ex.Message));
        }

        var result = response is null
            ? new SignInTestResult(false, steps)
            : await CheckAndAssumeAsync(environmentId, response, roleName, callSts: true, steps, cancellationToken);
        await AuditAsync(actor, environmentId, "signin-test.sandbox", result, new { user, roleName }, cancellationToken);
        return result;
    }

    /// <summary>Live: checks a SAMLResponse pasted from the browser (base64) and, when asked, calls AssumeRoleWithSAML with it.</summary>
    public async Task<SignInTestResult> CheckPastedResponseAsync(PortalActor actor, Guid environmentId, string base64Response, string? roleName, bool callSts, CancellationToken cancellationToken = default)
    {
        var cleaned = new string((base64Response ?? string.Empty).Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (cleaned.Length > 1_000_000)
        {
            var tooLong = new SignInTestResult(false, [new("SAML response", false, "That is over 1 MB: not a SAML response.", "Copy the SAMLResponse form field only.")]);
            await AuditAsync(actor, environmentId, "signin-test.pasted", tooLong, null, cancellationToken);
            return tooLong;
        }

        var result = await CheckAndAssumeAsync(environmentId, Uri.UnescapeDataString(cleaned), roleName, callSts, [], cancellationToken);
        await AuditAsync(actor, environmentId, "signin-test.pasted", result, new { roleName, callSts }, cancellationToken);
        return result;
    }

    private async Task<SignInTestResult> CheckAndAssumeAsync(Guid environmentId, string response, string? roleName, bool callSts, List<SignInTestStep> steps, CancellationToken cancellationToken)
    {
        var environment = await setup.GetEnvironmentAsync(environmentId, cancellationToken);
        var spec = EnvironmentSpec.FromJson(environment.DesiredStateJson);
        var providerArn = FederationNames.ProviderArn(environment, spec);
        var provider = await iam.GetSamlProviderAsync(providerArn, cancellationToken);
        if (provider?.MetadataDocument is null)
        {
            steps.Add(new("IAM SAML provider", false, $"{providerArn} does not exist in AWS.", "Apply the Metadata exchange stage."));
            return new SignInTestResult(false, steps);
        }

        var parsed = SamlMetadataParser.Parse(Encoding.UTF8.GetBytes(provider.MetadataDocument));
        if (parsed.Metadata is not { } metadata)
        {
            steps.Add(new("IAM SAML provider", false, "The provider's metadata cannot be read.", "Apply the Metadata exchange stage again."));
            return new SignInTestResult(false, steps);
        }

        var validation = new SamlResponseValidator(clock).Validate(response, metadata);
        if (validation.IsValid)
        {
            steps.Add(new("AWS's SAML rules", true, $"Signed by a certificate of {providerArn}; issuer, recipient, audience, time window and attributes all hold."));
        }
        else
        {
            steps.AddRange(validation.Failures.Select(f => new SignInTestStep($"Rule: {f.Rule}", false, f.Message, Fix(f.Rule))));
        }

        var roles = validation.Details.Roles;
        var chosen = roleName is null
            ? roles.FirstOrDefault()
            : roles.FirstOrDefault(r => r.RoleArn.EndsWith("/" + roleName, StringComparison.Ordinal));
        if (chosen is null)
        {
            steps.Add(new("Role claim", false,
                roleName is null ? "The Role attribute names no role." : $"The Role attribute does not offer {roleName} (it offers {string.Join(", ", roles.Select(r => r.RoleArn[(r.RoleArn.LastIndexOf('/') + 1)..]).DefaultIfEmpty("nothing"))}).",
                "Assign the user to that role on the User assignment stage; make sure provisioning imported it."));
            return new SignInTestResult(false, steps, Assertion: validation.Details);
        }

        if (!callSts)
        {
            return new SignInTestResult(validation.IsValid, steps, Assertion: validation.Details);
        }

        try
        {
            var session = await sts.AssumeRoleWithSamlAsync(chosen.RoleArn, chosen.ProviderArn, response, cancellationToken: cancellationToken);
            steps.Add(new("STS AssumeRoleWithSAML", true, $"AWS issued temporary credentials for {session.AssumedRoleArn} until {session.Expiration:yyyy-MM-dd HH:mm} UTC."));
            var identity = await sts.GetCallerIdentityAsync(session.AccessKeyId, session.SecretAccessKey, session.SessionToken, cancellationToken);
            steps.Add(new("STS GetCallerIdentity", true, $"AWS says the session is {identity.Arn} in account {identity.Account}."));
            return new SignInTestResult(true, steps, session.AssumedRoleArn, session.Expiration, identity.Arn, identity.Account, validation.Details);
        }
        catch (AwsServiceException ex)
        {
            steps.Add(new("STS AssumeRoleWithSAML", false, $"{ex.Code}: {ex.AwsMessage}", StsFix(ex.Code)));
            return new SignInTestResult(false, steps, Assertion: validation.Details);
        }
    }

    private async Task<string> AppIdAsync(Guid environmentId, CancellationToken cancellationToken)
    {
        return Handlers.AppAttributes.Of(await setup.GetInventoryAsync(environmentId, cancellationToken))?.AppId
               ?? throw new InvalidOperationException("The enterprise application does not exist yet: apply the App registration stage first.");
    }

    private Task AuditAsync(PortalActor actor, Guid environmentId, string action, SignInTestResult result, object? details, CancellationToken cancellationToken)
        => audit.RecordAsync(new AuditEntry
        {
            ActorId = actor.Id,
            ActorName = actor.DisplayName,
            Action = action,
            Outcome = result.Success ? AuditOutcome.Success : AuditOutcome.Failure,
            EnvironmentId = environmentId,
            TargetType = "IamRole",
            TargetId = result.AssumedRoleArn,
            ErrorMessage = result.Success ? null : string.Join(" ", result.Steps.Where(s => !s.Passed).Select(s => s.Detail)),
            Details = new { request = details, steps = result.Steps.Select(s => new { s.Name, s.Passed }), result.CallerArn },
        }, cancellationToken);

    public static string Fix(SamlRule rule) => rule switch
    {
        SamlRule.SignatureInvalid => "The signing certificate was rotated in Entra but the IAM provider still has the old metadata: run Metadata exchange again (or the doctor's fix).",
        SamlRule.SignatureMissing or SamlRule.SignatureWrapping => "Use the response exactly as Entra posted it; do not edit it.",
        SamlRule.Issuer => "The IAM provider was created from another tenant's metadata: run Metadata exchange again.",
        SamlRule.Recipient or SamlRule.Audience => "Set the app's identifier and reply URL to https://signin.aws.amazon.com/saml (App registration stage).",
        SamlRule.Expired or SamlRule.NotYetValid => "Sign in again and paste a fresh response; check this machine's clock.",
        SamlRule.RoleAttribute => "The user holds no role: assign them on the User assignment stage, and check the claims policy maps assignedroles to the Role claim.",
        SamlRule.RoleSessionName => "Map RoleSessionName from the user principal name (App registration stage).",
        SamlRule.SessionDuration => "Set SessionDuration between 900 and 43200 seconds (App registration stage).",
        SamlRule.CommentInjection => "Someone altered this response after Entra signed it: do not use it, and find out where it came from.",
        _ => "Copy the whole SAMLResponse field from the browser's network log.",
    };

    private static string StsFix(string code) => code switch
    {
        "AccessDenied" => "The role's trust policy does not allow sts:AssumeRoleWithSAML for this provider with SAML:aud https://signin.aws.amazon.com/saml: run the doctor, or apply the Role creation stage again.",
        "InvalidIdentityToken" => "AWS could not match the response to the provider: run Metadata exchange again.",
        "ExpiredTokenException" => "The response is too old: sign in again.",
        "ValidationError" => "The requested duration exceeds the role's MaxSessionDuration: raise it on the Role creation stage or shorten SessionDuration.",
        _ => "See the message; the doctor checks each link of the chain.",
    };
}
