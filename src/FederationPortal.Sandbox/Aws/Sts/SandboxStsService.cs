using System.Net;
using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Saml;
using FederationPortal.Sandbox.Aws.Iam;
using FederationPortal.Sandbox.Aws.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederationPortal.Sandbox.Aws.Sts;

/// <summary>
/// The emulated STS: <c>AssumeRoleWithSAML</c> (unsigned) applying every rule AWS applies to the SAML response,
/// the role and its trust policy, and <c>GetCallerIdentity</c> for long-term and temporary credentials.
/// </summary>
internal sealed class SandboxStsService(SandboxIamState state, IOptions<SandboxOptions> options, TimeProvider timeProvider, ILogger<SandboxStsService> logger)
{
    private static readonly AwsXml X = AwsXml.Sts;

    private string Account => options.Value.AccountId;

    public IEnumerable<object?> GetCallerIdentity(AwsCaller caller) =>
    [
        X.E("UserId", caller.UserId),
        X.E("Account", Account),
        X.E("Arn", caller.Arn),
    ];

    public IEnumerable<object?> AssumeRoleWithSaml(AwsQueryRequest request)
    {
        var roleArn = request.Required("RoleArn");
        AwsQueryRequest.CheckLength(roleArn, 20, 2048, "roleArn");
        var principalArn = request.Required("PrincipalArn");
        AwsQueryRequest.CheckLength(principalArn, 20, 2048, "principalArn");
        var assertion = request.Required("SAMLAssertion", "sAMLAssertion");
        AwsQueryRequest.CheckLength(assertion, 4, 100_000, "sAMLAssertion");
        var requestedDuration = request.Integer("DurationSeconds", 900, 43200);
        var sessionPolicy = request.Optional("Policy");
        if (sessionPolicy is not null)
        {
            AwsQueryRequest.CheckLength(sessionPolicy, 1, 2048, "policy");
            PolicyDocument.Parse(sessionPolicy, PolicyKind.Identity);
        }

        var providerPrefix = $"arn:aws:iam::{Account}:saml-provider/";
        var provider = principalArn.StartsWith(providerPrefix, StringComparison.Ordinal) ? state.Provider(principalArn[providerPrefix.Length..]) : null;
        if (provider is null)
        {
            throw Deny("InvalidIdentityToken", "Specified provider doesn't exist.", HttpStatusCode.BadRequest, roleArn);
        }

        var metadata = SamlMetadataParser.Parse(provider.MetadataDocument).Metadata
            ?? throw Deny("InvalidIdentityToken", "Could not parse metadata", HttpStatusCode.BadRequest, roleArn);
        var validation = new SamlResponseValidator(timeProvider).Validate(assertion, metadata);
        if (!validation.IsValid)
        {
            var failure = validation.Failures[0];
            logger.LogInformation(
                "Sandbox STS refused a SAML assertion for {RoleArn}: {Rules}", roleArn, string.Join(", ", validation.Failures.Select(f => f.Rule)));
            throw failure.Rule switch
            {
                SamlRule.Expired => Deny("ExpiredTokenException", "Token must not be expired", HttpStatusCode.BadRequest, roleArn),
                SamlRule.SignatureInvalid or SamlRule.SignatureMissing => Deny("InvalidIdentityToken", "Response signature invalid", HttpStatusCode.BadRequest, roleArn),
                SamlRule.SignatureWrapping => Deny("InvalidIdentityToken", "Response signature invalid (the signed element is not the one used)", HttpStatusCode.BadRequest, roleArn),
                SamlRule.Issuer => Deny("InvalidIdentityToken", "Issuer not present in specified provider", HttpStatusCode.BadRequest, roleArn),
                SamlRule.Audience => Deny("InvalidIdentityToken", "Response does not contain the required audience.", HttpStatusCode.BadRequest, roleArn),
                SamlRule.RoleSessionName when validation.Details.RoleSessionName is null => Deny("InvalidIdentityToken", "RoleSessionName is required in AuthnResponse", HttpStatusCode.BadRequest, roleArn),
                SamlRule.RoleSessionName => Deny("InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}", HttpStatusCode.BadRequest, roleArn),
                _ => Deny("InvalidIdentityToken", $"Your request included an invalid SAML response. {failure.Message}", HttpStatusCode.BadRequest, roleArn),
            };
        }

        var details = validation.Details;
        if (!details.Roles.Any(r => r.RoleArn == roleArn && r.ProviderArn == principalArn))
        {
            throw Deny("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", HttpStatusCode.Forbidden, roleArn);
        }

        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var role = state.Role(roleName);
        if (role is null || !string.Equals($"arn:aws:iam::{Account}:role{role.Path}{role.RoleName}", roleArn, StringComparison.Ordinal))
        {
            throw Deny("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", HttpStatusCode.Forbidden, roleArn);
        }

        var nameQualifier = Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(details.Issuer + Account + "/" + provider.Name)));
        var context = new Dictionary<string, string>
        {
            ["SAML:aud"] = details.Recipient!,
            ["SAML:iss"] = details.Issuer!,
            ["SAML:sub"] = details.NameId!,
            ["SAML:sub_type"] = SubjectType(details.NameIdFormat),
            ["SAML:namequalifier"] = nameQualifier,
            ["SAML:doc"] = $"{Account}/{provider.Name}",
            ["aws:PrincipalAccount"] = Account,
        };
        var trust = PolicyDocument.Parse(role.AssumeRolePolicyDocument, PolicyKind.Trust);
        var decision = PolicyEvaluator.Evaluate([trust], "sts:AssumeRoleWithSAML", roleArn, context,
            statement => statement.Principals.TryGetValue("Federated", out var federated) && federated.Contains(principalArn, StringComparer.Ordinal));
        if (decision != PolicyDecision.Allowed)
        {
            throw Deny("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", HttpStatusCode.Forbidden, roleArn);
        }

        var duration = requestedDuration ?? 3600;
        if (duration > role.MaxSessionDuration)
        {
            throw Deny("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", HttpStatusCode.BadRequest, roleArn);
        }

        if (details.SessionDuration is { } fromAssertion && fromAssertion < duration)
        {
            duration = fromAssertion;
        }

        var now = DateTimeOffset.FromUnixTimeSeconds(timeProvider.GetUtcNow().ToUnixTimeSeconds());
        var expiration = now.AddSeconds(duration);
        if (details.SessionNotOnOrAfter is { } sessionEnd && sessionEnd < expiration)
        {
            // The IdP's AuthnStatement SessionNotOnOrAfter also bounds the session.
            expiration = DateTimeOffset.FromUnixTimeSeconds(sessionEnd.ToUnixTimeSeconds());
        }

        var session = new SandboxSession
        {
            AccessKeyId = SandboxIamState.NewId("ASIA", 20),
            SecretAccessKey = SandboxIamState.NewSecret(),
            SessionToken = "IQoJb3JpZ2luX2VjE" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(270)),
            RoleName = role.RoleName,
            RoleId = role.RoleId,
            SessionName = details.RoleSessionName!,
            Expiration = expiration,
            SessionPolicy = sessionPolicy,
        };
        lock (state.Sync)
        {
            state.PurgeSessions(now);
            state.Save(session);
        }

        logger.LogInformation(
            "Sandbox STS issued {AccessKeyId} for {RoleArn} session {SessionName} until {Expiration}", session.AccessKeyId, roleArn, session.SessionName, session.Expiration);
        return
        [
            X.E("Credentials",
                X.E("AccessKeyId", session.AccessKeyId),
                X.E("SecretAccessKey", session.SecretAccessKey),
                X.E("SessionToken", session.SessionToken),
                X.Date("Expiration", session.Expiration)),
            X.E("AssumedRoleUser",
                X.E("AssumedRoleId", $"{role.RoleId}:{session.SessionName}"),
                X.E("Arn", $"arn:aws:sts::{Account}:assumed-role/{role.RoleName}/{session.SessionName}")),
            sessionPolicy is null ? null : X.E("PackedPolicySize", Math.Max(1, sessionPolicy.Count(c => !char.IsWhiteSpace(c)) * 100 / 2048)),
            X.E("Subject", details.NameId),
            X.E("SubjectType", SubjectType(details.NameIdFormat)),
            X.E("Issuer", details.Issuer),
            X.E("Audience", details.Recipient),
            X.E("NameQualifier", nameQualifier),
        ];
    }

    /// <summary>As AWS: the short name for the persistent and transient formats, the full URI otherwise.</summary>
    private static string SubjectType(string? format) => format switch
    {
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" => "persistent",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" => "transient",
        null => "unspecified",
        _ => format,
    };

    private AwsQueryError Deny(string code, string message, HttpStatusCode status, string roleArn)
    {
        logger.LogInformation("Sandbox STS AssumeRoleWithSAML for {RoleArn} failed: {Code}", roleArn, code);
        return new AwsQueryError(code, message, status);
    }
}
