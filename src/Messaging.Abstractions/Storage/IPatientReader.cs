namespace Messaging.Storage;

/// <summary>Reads of patients.</summary>
public interface IPatientReader
{
    /// <summary>The patient, or <see langword="null"/>.</summary>
    ValueTask<Patient?> GetPatientAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organisation's patient with this NHS number, or <see langword="null"/>. Unique per organisation; a patient
    /// without an NHS number (R33) is never returned.
    /// </summary>
    ValueTask<Patient?> FindPatientByNhsNumberAsync(OrganisationId organisationId, NhsNumber nhsNumber, CancellationToken cancellationToken = default);
}
