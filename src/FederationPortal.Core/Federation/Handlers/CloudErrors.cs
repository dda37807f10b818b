using System.Text.Json;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Entra;
using FederationPortal.Core.Lifecycle;

namespace FederationPortal.Core.Federation.Handlers;

/// <summary>Cloud errors in plain words, with the fix.</summary>
public static class CloudErrors
{
    public static string Explain(AwsServiceException ex) => ex.Code switch
    {
        "AccessDenied" or "AccessDeniedException" => $"AWS refused the call (AccessDenied): {ex.AwsMessage} Give the portal's AWS identity the IAM permissions listed on the Connect stage.",
        "EntityAlreadyExists" => $"AWS says it already exists (EntityAlreadyExists): {ex.AwsMessage} It was not created by this environment, so the portal leaves it alone; choose another name.",
        "LimitExceeded" => $"An IAM quota was reached (LimitExceeded): {ex.AwsMessage}",
        "MalformedPolicyDocument" => $"AWS rejected a policy document (MalformedPolicyDocument): {ex.AwsMessage}",
        "InvalidInput" or "ValidationError" => $"AWS rejected the input ({ex.Code}): {ex.AwsMessage}",
        "DeleteConflict" => $"AWS cannot delete it yet (DeleteConflict): {ex.AwsMessage}",
        "NoSuchEntity" => $"AWS has no such entity (NoSuchEntity): {ex.AwsMessage} It may have been deleted outside the portal.",
        "InvalidClientTokenId" or "SignatureDoesNotMatch" => $"AWS did not accept the portal's credentials ({ex.Code}): {ex.AwsMessage} Check Portal:Aws in Settings.",
        _ => $"AWS answered {ex.Code}: {ex.AwsMessage}",
    };

    public static string Explain(EntraServiceException ex) => ex.Code switch
    {
        "Authorization_RequestDenied" => $"Entra refused the call: {ex.Message} Grant the portal's app registration the Graph permissions listed on the Connect stage, with admin consent.",
        "Request_MultipleObjectsWithSameKeyValue" => $"Entra says the value is already used in this tenant: {ex.Message}",
        "Request_ResourceNotFound" => $"Entra has no such object: {ex.Message} It may have been deleted outside the portal.",
        _ => $"Entra answered {ex.Code} ({ex.StatusCode}): {ex.Message}",
    };
}
