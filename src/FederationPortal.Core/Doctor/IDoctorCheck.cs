namespace FederationPortal.Core.Doctor;

/// <summary>
/// One diagnosis: looks at the environment's state (loaded once into the <see cref="DoctorContext"/>) and says, in
/// plain words, what is right and what is wrong. A check never changes anything.
/// </summary>
public interface IDoctorCheck
{
    /// <summary>A stable id, e.g. <c>trust-policy</c>: the UI and the tests name the check by it.</summary>
    string Id { get; }

    string Title { get; }

    Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken = default);
}
