using NodaTime;

namespace Messaging;

/// <summary>A patient's details as the host holds them, to register or update (R4). Raw input: the SDK validates it.</summary>
public sealed record PatientRegistration
{
    /// <summary>The host's id of the patient.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>
    /// The NHS number (spaces allowed), or <see langword="null"/> (or blank) for a patient who has none, such as a private
    /// practice's client (R33). When given it is validated: ten digits with a Modulus 11 check digit (R4).
    /// </summary>
    public string? NhsNumber { get; init; }

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
