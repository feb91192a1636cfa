using NodaTime;

namespace Messaging;

/// <summary>A patient's details as the host holds them, to register or update (R4). Raw input: the SDK validates it.</summary>
public sealed record PatientRegistration
{
    /// <summary>The host's id of the patient.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>The NHS number; spaces allowed.</summary>
    public required string NhsNumber { get; init; }

    /// <summary>The date of birth.</summary>
    public required LocalDate DateOfBirth { get; init; }

    /// <summary>The given name.</summary>
    public required string GivenName { get; init; }

    /// <summary>The family name.</summary>
    public required string FamilyName { get; init; }

    /// <summary>A mobile number as typed (national or international form), or <see langword="null"/>.</summary>
    public string? Mobile { get; init; }

    /// <summary>An email address, or <see langword="null"/>.</summary>
    public string? Email { get; init; }

    /// <summary>The patient id only: the rest is patient data (R22).</summary>
    public override string ToString() => $"PatientRegistration {{ PatientId = {PatientId} }}";
}

/// <summary>Patient identity (R4): registration with validated NHS number, mobile and email, and lookup by NHS number plus date of birth.</summary>
/// <remarks>Patients belong to the workspace's organisation. The actor must be a member of the workspace (R1).</remarks>
public interface IPatientService
{
    /// <summary>
    /// Registers a patient or updates the one with the same host id. The NHS number must pass its Modulus 11 check,
    /// the mobile must be a valid mobile number (stored in E.164), the email must be valid; an NHS number already
    /// held by another patient of the organisation is a conflict. Nothing is written when any check fails.
    /// </summary>
    Task<Patient> RegisterAsync(StaffId actor, WorkspaceId workspaceId, PatientRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds a patient by NHS number and date of birth; both must match. A mismatch gives the same not-found error
    /// as an unknown number, so a lookup never confirms that a number exists.
    /// </summary>
    Task<Patient> FindAsync(StaffId actor, WorkspaceId workspaceId, string nhsNumber, LocalDate dateOfBirth, CancellationToken cancellationToken = default);

    /// <summary>The patient with this host id.</summary>
    Task<Patient> GetAsync(StaffId actor, WorkspaceId workspaceId, PatientId patientId, CancellationToken cancellationToken = default);
}
