using FederationPortal.Core.Security;
using Microsoft.AspNetCore.DataProtection;

namespace FederationPortal.Web.Security;

/// <summary>Stored secrets encrypted with the portal's Data Protection key ring (persisted in the data folder's <c>keys</c>).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector protector = provider.CreateProtector(StoredSecretService.ProtectionPurpose);

    public string Protect(string plaintext) => protector.Protect(plaintext);

    public string Unprotect(string ciphertext) => protector.Unprotect(ciphertext);
}
