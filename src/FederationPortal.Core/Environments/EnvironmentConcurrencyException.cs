namespace FederationPortal.Core.Environments;

public sealed class EnvironmentConcurrencyException(Guid id)
    : Exception($"Environment {id} was changed by someone else. Reload it and try again.");
