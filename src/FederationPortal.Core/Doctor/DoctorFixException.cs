namespace FederationPortal.Core.Doctor;

/// <summary>A fix that cannot be applied, with why in plain words.</summary>
public sealed class DoctorFixException(string message, Exception? inner = null) : Exception(message, inner);
