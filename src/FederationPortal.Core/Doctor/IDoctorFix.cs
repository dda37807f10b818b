namespace FederationPortal.Core.Doctor;

/// <summary>An automatic fix a finding can point at. It changes the clouds and keeps the inventory right.</summary>
public interface IDoctorFix
{
    string Id { get; }

    /// <summary>Applies the fix to <paramref name="target"/> (as the finding named it); returns what it did, or throws <see cref="DoctorFixException"/>.</summary>
    Task<string> ApplyAsync(DoctorContext context, string? target, CancellationToken cancellationToken = default);
}
