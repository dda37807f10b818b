using FederationPortal.Core.Federation;
using FederationPortal.Core.Saml;

namespace FederationPortal.Core.Monitoring;

/// <summary>A failed sign-in in plain words: the code, what it means here, and what fixes it.</summary>
public sealed record FailureExplanation(string Code, string Explanation, string Fix);

/// <summary>
/// What Entra's AADSTS errors and STS's <c>AssumeRoleWithSAML</c> errors mean for an Entra → AWS federation, and the
/// fix in the portal's terms. The SAML fixes are the ones the sign-in test gives (<see cref="SignInTestService.Fix"/>),
/// so the Activity page and the sign-in test say the same thing about the same fault.
/// </summary>
public static class SignInFailureCatalogue
{
    private static readonly Dictionary<int, (string Explanation, string Fix)> Entra = new()
    {
        [50105] = ("The user is not assigned to a role of the AWS application, so Entra does not issue a SAML response.",
            "Assign the user (or a group they belong to) to a role on the User assignment stage."),
        [50011] = ("The reply URL of the request does not match the reply URLs configured for the application.",
            SignInTestService.Fix(SamlRule.Recipient)),
        [700016] = ("The application was not found in the tenant: it was deleted, or the sign-in used another tenant or a stale identifier.",
            "Run the doctor; if the enterprise application is gone, apply the App registration stage again, and sign in from the tenant's My Apps portal."),
        [50126] = ("The user typed a wrong user name or password. This is not a federation fault.",
            "Let the user try again or reset their password; repeated failures from one address may be an attack (see the failed sign-in alert)."),
        [50034] = ("The user account does not exist in the tenant.",
            "Check the user name; create or invite the user in Entra, then assign them on the User assignment stage."),
        [50057] = ("The user account is disabled in Entra.",
            "Enable the account in Entra if the user should still have access; otherwise remove their role assignment."),
        [50053] = ("The account is locked after too many failed attempts (or the sign-in came from a blocked address).",
            "Wait for the lockout to end or unlock the account; investigate if the user did not cause the attempts."),
        [50055] = ("The user's password has expired.",
            "Have the user change their password, then sign in again."),
        [50076] = ("Conditional Access requires multi-factor authentication and the user did not complete it.",
            "Have the user complete MFA (register a method first if they have none)."),
        [50079] = ("The user must register for multi-factor authentication before signing in.",
            "Have the user register an MFA method at https://aka.ms/mysecurityinfo."),
        [53003] = ("A Conditional Access policy blocked the sign-in.",
            "Review the policy named in the sign-in log's Conditional Access tab; exclude the AWS application or meet its conditions."),
        [75011] = ("The authentication method the user signed in with does not match the one the SAML request asked for (RequestedAuthnContext).",
            "Sign out of Entra and sign in again; the AWS gallery app is IdP-initiated and does not need a RequestedAuthnContext."),
        [65001] = ("The application lacks consent for the permissions it requests.",
            "Have an administrator grant admin consent for the AWS application (Enterprise applications → Permissions)."),
        [90094] = ("The application requires administrator consent, which has not been granted.",
            "Have an administrator grant admin consent for the AWS application (Enterprise applications → Permissions), or allow user consent for it."),
    };

    /// <summary>An Entra sign-in failure (its AADSTS number and Entra's failure reason).</summary>
    public static FailureExplanation ForEntra(int errorCode, string? failureReason)
    {
        var code = $"AADSTS{errorCode}";
        return Entra.TryGetValue(errorCode, out var known)
            ? new(code, known.Explanation, known.Fix)
            : new(code,
                string.IsNullOrWhiteSpace(failureReason) ? $"Entra refused the sign-in with {code}." : $"Entra refused the sign-in: {failureReason}",
                $"Look {code} up in Microsoft's AADSTS error reference; run the doctor to check the application's configuration.");
    }

    /// <summary>An <c>AssumeRoleWithSAML</c> failure as CloudTrail records it (<c>errorCode</c>, <c>errorMessage</c>).</summary>
    public static FailureExplanation ForAws(string errorCode, string? errorMessage)
    {
        var message = errorMessage ?? "";
        var code = errorCode.Contains('#', StringComparison.Ordinal) ? errorCode[(errorCode.LastIndexOf('#') + 1)..] : errorCode;
        return code switch
        {
            "InvalidIdentityToken" or "InvalidIdentityTokenException" when Has(message, "provider doesn't exist") || Has(message, "provider does not exist") => new(code,
                "The SAML provider named in the role claim does not exist in IAM (deleted, or the claim names another account's provider).",
                "Apply the Metadata exchange stage to create the provider, then check the role claim on the App roles stage."),
            "InvalidIdentityToken" or "InvalidIdentityTokenException" when Has(message, "signature") => new(code,
                "The SAML provider's metadata does not match the certificate that signed the response (the signing certificate changed in Entra).",
                $"Update the provider's metadata on the Certificates page. {SignInTestService.Fix(SamlRule.SignatureInvalid)}"),
            "InvalidIdentityToken" or "InvalidIdentityTokenException" when Has(message, "issuer") => new(code,
                "The response's issuer is not the one in the SAML provider's metadata.",
                SignInTestService.Fix(SamlRule.Issuer)),
            "InvalidIdentityToken" or "InvalidIdentityTokenException" when Has(message, "audience") => new(code,
                "The response is not addressed to AWS (its audience is not https://signin.aws.amazon.com/saml).",
                SignInTestService.Fix(SamlRule.Audience)),
            "InvalidIdentityToken" or "InvalidIdentityTokenException" when Has(message, "RoleSessionName") => new(code,
                "The response carries no usable RoleSessionName claim.",
                SignInTestService.Fix(SamlRule.RoleSessionName)),
            "InvalidIdentityToken" or "InvalidIdentityTokenException" => new(code,
                $"AWS could not match the SAML response to the provider{Detail(message)}.",
                "Update the provider's metadata on the Certificates page (or apply Metadata exchange again), then run the doctor."),
            "AccessDenied" or "AccessDeniedException" => new(code,
                $"AWS refused the role: not authorized to perform sts:AssumeRoleWithSAML{Detail(message)}. The role's trust policy does not trust this SAML provider, its SAML:aud condition is wrong, or the role is not in the assertion.",
                "The role's trust policy must allow sts:AssumeRoleWithSAML for this provider with SAML:aud https://signin.aws.amazon.com/saml: run the doctor (its trust policy fix), or apply the Role creation stage again; check the user holds this role in Entra."),
            "ExpiredTokenException" or "ExpiredToken" => new(code,
                "The SAML response had expired when AWS received it (its NotOnOrAfter has passed).",
                SignInTestService.Fix(SamlRule.Expired)),
            "ValidationError" when Has(message, "DurationSeconds") || Has(message, "MaxSessionDuration") => new(code,
                "The requested session is longer than the role's maximum session duration.",
                "Raise the role's MaxSessionDuration on the Role creation stage, or shorten the SessionDuration claim."),
            "IDPRejectedClaim" or "IDPRejectedClaimException" => new(code,
                $"AWS rejected a claim of the response{Detail(message)}.",
                "Run the doctor: it checks the role claim and the claims policy."),
            "MalformedPolicyDocument" or "PackedPolicyTooLarge" => new(code,
                $"The session policy or tags of the response were refused{Detail(message)}.",
                "Remove the extra session tags from the claims policy or shorten them."),
            _ => new(code,
                $"AWS refused the sign-in with {code}{Detail(message)}.",
                "Run the doctor: it checks each link of the chain from Entra to the role."),
        };
    }

    private static bool Has(string message, string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);

    private static string Detail(string message) => string.IsNullOrWhiteSpace(message) ? "" : $" (\"{message.Trim().TrimEnd('.')}\")";
}
