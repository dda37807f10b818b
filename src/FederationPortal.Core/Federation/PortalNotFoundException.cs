using FederationPortal.Core.Audit;
using FederationPortal.Core.Environments;
using FederationPortal.Core.Lifecycle;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Federation;

/// <summary>The thing asked for does not exist.</summary>
public sealed class PortalNotFoundException(string message) : Exception(message);
