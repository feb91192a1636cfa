namespace Messaging.Fhir;

/// <summary>Settings of the FHIR export: the identifier systems of the host's own ids.</summary>
public sealed class FhirExportOptions
{
    /// <summary>The identifier system of NHS numbers, as NHS England's FHIR profiles name it.</summary>
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>
    /// The system of the host's patient ids (e.g. <c>https://ehr.example.nhs.uk/Id/patient</c>). When set, each
    /// exported <c>Patient</c> carries the host's id as a second identifier beside the NHS number.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the NHS number only.</value>
    public Uri? PatientIdentifierSystem { get; set; }

    /// <summary>
    /// Where staff open an attachment in the host (e.g. <c>https://ehr.example.nhs.uk/attachments/</c>): an exported
    /// attachment's URL is this plus the attachment id (32 hex digits). Patients' download links are not used: their
    /// tokens are stored only as hashes and expire.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the URL is <c>urn:uuid:</c> the attachment id.</value>
    public Uri? AttachmentBaseUrl { get; set; }

    /// <summary>
    /// The system of the host's staff ids (e.g. <c>https://ehr.example.nhs.uk/Id/staff</c>), used on each exported
    /// <c>Practitioner</c>'s identifier.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the identifier carries the staff id without a system.</value>
    public Uri? StaffIdentifierSystem { get; set; }
}
