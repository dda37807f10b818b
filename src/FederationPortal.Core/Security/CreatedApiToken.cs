using System.Security.Cryptography;
using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;

namespace FederationPortal.Core.Security;

/// <summary>A token just created: the only moment its value exists outside the caller's hands.</summary>
public sealed record CreatedApiToken(ApiToken Token, string Value)
{
    public override string ToString() => $"CreatedApiToken {{ Id = {Token.Id}, Prefix = {Token.Prefix}, Value = ***redacted*** }}";
}
