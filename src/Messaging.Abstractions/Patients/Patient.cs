using NodaTime;

namespace Messaging;

/// <summary>
/// A patient as the SDK knows them (R4): the host's id (always), the NHS number and date of birth when they have one
/// (R33), the name used in templates, and the contact details messages go to.
/// </summary>
/// <remarks>
/// Patients belong to an organisation: every workspace of the organisation finds the same record.
/// An NHS number, when present, is unique within an organisation; any number of patients may have none. <see cref="ToString"/> prints ids only (R22).
/// </remarks>
public sealed record Patient
{
    /// <summary>The organisation whose patient this is.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The host's id of the patient.</summary>
    public required PatientId Id { get; init; }

    /// <summary>
    /// The validated NHS number, or <see langword="null"/> for a patient without one (R33): such a patient is found by
    /// <see cref="Id"/> only, never by an NHS-number lookup.
    /// </summary>
    public NhsNumber? NhsNumber { get; init; }

    /// <summary>The date of birth; a lookup must match it as well as the NHS number.</summary>
    public required LocalDate DateOfBirth { get; init; }

    /// <summary>The given (first) name, for templates.</summary>
    public required string GivenName { get; init; }

    /// <summary>The family name, for templates.</summary>
    public required string FamilyName { get; init; }

    /// <summary>The mobile number in E.164, if the patient has one.</summary>
    public PhoneNumber? Mobile { get; init; }

    /// <summary>The email address, if the patient has one.</summary>
    public EmailAddress? Email { get; init; }

    /// <summary>When the record was last written.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>Ids only: a patient's details never reach a log through this method.</summary>
    public override string ToString() => $"Patient {{ OrganisationId = {OrganisationId}, Id = {Id} }}";
}
