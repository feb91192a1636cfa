using Microsoft.Extensions.Options;

namespace Messaging.Fhir;

/// <summary>
/// Settings of the FHIR export: the identifier systems of the host's own ids. Set with <c>.AddFhirExport(o =&gt; …)</c>
/// or bound with <c>.AddFhirExport(configuration.GetSection("Messaging:Fhir"))</c>; validated at start-up.
/// </summary>
public sealed class FhirExportOptions
{
    /// <summary>The configuration section these options are conventionally bound from; error messages name settings under it.</summary>
    public const string SectionName = "Messaging:Fhir";

    /// <summary>The identifier system of NHS numbers, as NHS England's FHIR profiles name it.</summary>
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>
    /// The system of the host's patient ids (e.g. <c>https://ehr.example.nhs.uk/Id/patient</c>). When set, each
    /// exported <c>Patient</c> carries the host's id as a second identifier beside the NHS number. A patient without an
    /// NHS number (R33) is always identified by the host's id, in this system when set, and so is their <c>subject</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the NHS number only (the host's id, without a system, for a
    /// patient who has none).</value>
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

/// <summary>Validates <see cref="FhirExportOptions"/> at start-up, naming each bad setting under its configuration path.</summary>
/// <param name="sectionPath">The path settings are named under, e.g. <c>Messaging:Fhir</c>.</param>
internal sealed class FhirExportOptionsValidator(string sectionPath) : IValidateOptions<FhirExportOptions>
{
    public ValidateOptionsResult Validate(string? name, FhirExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = sectionPath.Length == 0 ? string.Empty : sectionPath + ":";
        var failures = new List<string>();
        CheckAbsolute(prefix + nameof(FhirExportOptions.PatientIdentifierSystem), options.PatientIdentifierSystem, failures);
        CheckAbsolute(prefix + nameof(FhirExportOptions.StaffIdentifierSystem), options.StaffIdentifierSystem, failures);
        var attachments = prefix + nameof(FhirExportOptions.AttachmentBaseUrl);
        if (CheckAbsolute(attachments, options.AttachmentBaseUrl, failures) && !options.AttachmentBaseUrl!.AbsolutePath.EndsWith('/'))
        {
            // new Uri(base, id) replaces the last segment of a base without a trailing slash.
            failures.Add($"{attachments} must end with '/', so the attachment id is appended to it; it is '{options.AttachmentBaseUrl}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool CheckAbsolute(string setting, Uri? value, List<string> failures)
    {
        if (value is null)
        {
            return false;
        }

        if (!value.IsAbsoluteUri)
        {
            failures.Add($"{setting} must be an absolute URI; '{value}' is relative.");
            return false;
        }

        return true;
    }
}
