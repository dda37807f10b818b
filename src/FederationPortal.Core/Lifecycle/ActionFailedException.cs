using FederationPortal.Core.Environments;
using FederationPortal.Core.Security;

namespace FederationPortal.Core.Lifecycle;

/// <summary>A failure the admin can act on: the message says what is wrong and how to fix it.</summary>
public sealed class ActionFailedException(string message, Exception? inner = null) : Exception(message, inner);
