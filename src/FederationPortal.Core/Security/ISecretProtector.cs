using System.Text.RegularExpressions;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>Encrypts and decrypts stored secrets (ASP.NET Core Data Protection in the web host).</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string ciphertext);
}
