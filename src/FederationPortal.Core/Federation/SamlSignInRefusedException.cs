using System.Text;
using FederationPortal.Core.Audit;
using FederationPortal.Core.Aws;
using FederationPortal.Core.Saml;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Federation;

public sealed class SamlSignInRefusedException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}
