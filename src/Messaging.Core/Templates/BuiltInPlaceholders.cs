namespace Messaging.Templates;

/// <summary>
/// The names of the placeholders every template may use (R16). The SDK fills them from its own records of the patient,
/// workspace, organisation and sender when it renders a saved template; a host setting values itself may fill them
/// from its own data, most simply with <see cref="TemplateValues.SetPatient"/>, <see cref="TemplateValues.SetWorkspace"/>,
/// <see cref="TemplateValues.SetOrganisation"/> and <see cref="TemplateValues.SetStaff"/>.
/// </summary>
public static class BuiltInPlaceholders
{
    /// <summary>The patient's given name (Text).</summary>
    public const string PatientFirstName = "patient.firstName";

    /// <summary>The patient's family name (Text).</summary>
    public const string PatientLastName = "patient.lastName";

    /// <summary>The patient's given and family name, separated by a space (Text).</summary>
    public const string PatientFullName = "patient.fullName";

    /// <summary>The patient's NHS number, grouped 3-3-4 as the NHS displays it: <c>943 476 5919</c> (Text).</summary>
    public const string PatientNhsNumber = "patient.nhsNumber";

    /// <summary>The patient's date of birth (Date).</summary>
    public const string PatientDateOfBirth = "patient.dateOfBirth";

    /// <summary>The name of the workspace the message is sent from, e.g. a team (Text).</summary>
    public const string WorkspaceName = "workspace.name";

    /// <summary>The name of the organisation (trust or practice) (Text).</summary>
    public const string OrganisationName = "organisation.name";

    /// <summary>The display name of the staff member sending the message (Text).</summary>
    public const string StaffName = "staff.name";
}
