using NodaTime;

namespace Messaging;

/// <summary>Patient identity (R4): registration with validated NHS number, mobile and email, and lookup by NHS number plus date of birth.</summary>
/// <remarks>Patients belong to the workspace's organisation. The actor must be a member of the workspace (R1).</remarks>
public interface IPatientService
{
    /// <summary>
    /// Registers a patient or updates the one with the same host id. The NHS number is optional (R33); when given it
    /// must pass its Modulus 11 check. The mobile must be a valid mobile number (stored in E.164), the email must be
    /// valid; an NHS number already held by another patient of the organisation is a conflict (patients without one
    /// never clash). Nothing is written when any check fails.
    /// </summary>
    Task<Patient> RegisterAsync(StaffId actor, WorkspaceId workspaceId, PatientRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds a patient by NHS number and date of birth; both must match. A mismatch gives the same not-found error
    /// as an unknown number, so a lookup never confirms that a number exists. A patient without an NHS number (R33) is
    /// never found this way: find them by the host's id with <see cref="GetAsync"/>.
    /// </summary>
    Task<Patient> FindAsync(StaffId actor, WorkspaceId workspaceId, string nhsNumber, LocalDate dateOfBirth, CancellationToken cancellationToken = default);

    /// <summary>The patient with this host id.</summary>
    Task<Patient> GetAsync(StaffId actor, WorkspaceId workspaceId, PatientId patientId, CancellationToken cancellationToken = default);
}
