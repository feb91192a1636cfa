using NodaTime;

namespace Messaging.SampleApp;

/// <summary>
/// The sample's world, as an EHR would hold it: a trust with its default workspace, a dermatology team workspace with a
/// shared inbox, three staff (and a fourth the admin can add), a team of nurses and four patients. The EHR owns these records; the SDK is told about them.
/// </summary>
public static class SampleData
{
    public static readonly OrganisationId Trust = new("northshire-trust");
    public static readonly WorkspaceId TrustWorkspace = new("northshire");
    public static readonly WorkspaceId Dermatology = new("northshire-derm");
    public static readonly TeamId Nurses = new("derm-nurses");

    /// <summary>The staff the UI lets you act as.</summary>
    public static readonly IReadOnlyList<(StaffId Id, string Name, string Role)> Staff =
    [
        (new StaffId("alice"), "Dr Alice Adams", "Consultant dermatologist, admin"),
        (new StaffId("bob"), "Bob Brown", "Dermatology nurse"),
        (new StaffId("carol"), "Carol Clark", "Dermatology nurse"),
        (new StaffId("dan"), "Dan Davies", "Receptionist, not yet added to any workspace: an admin adds him on the Admin page"),
    ];

    /// <summary>The patients the EHR holds.</summary>
    public static readonly IReadOnlyList<PatientRegistration> Patients =
    [
        new() { PatientId = new("p-1001"), NhsNumber = "943 476 5919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456", Email = "jane.doe@example.com" },
        new() { PatientId = new("p-1002"), NhsNumber = "401 023 2137", DateOfBirth = new LocalDate(1985, 7, 2), GivenName = "John", FamilyName = "Smith", Mobile = "07400 654321", Email = "john.smith@example.com" },
        new() { PatientId = new("p-1003"), NhsNumber = "450 557 7104", DateOfBirth = new LocalDate(1992, 11, 30), GivenName = "Priya", FamilyName = "Patel", Mobile = "07400 111222" },

        // A private client with no NHS number (R33): found by the EHR's id only.
        new() { PatientId = new("p-1004"), DateOfBirth = new LocalDate(1988, 5, 9), GivenName = "Sam", FamilyName = "Green", Mobile = "07400 333444", Email = "sam.green@example.com" },
    ];

    /// <summary>Message templates shared in the dermatology workspace (R16), with the SDK's placeholders.</summary>
    public static readonly IReadOnlyList<(string Name, string Body)> Templates =
    [
        ("Results normal", "Dear {{patient.firstName}}, your recent test results are normal and no action is needed. {{staff.name}}, {{workspace.name}}"),
        ("Photo request", "Dear {{patient.firstName}}, please reply with a photo of the affected skin so we can review it before your appointment. {{staff.name}}"),
        ("Leaflet", "Dear {{patient.firstName}}, please find attached the leaflet about your treatment. {{workspace.name}}"),
    ];

    public static StaffId Alice => Staff[0].Id;

    public static StaffId Bob => Staff[1].Id;

    public static string StaffName(StaffId id) => Staff.FirstOrDefault(s => s.Id == id).Name ?? id.Value;

    /// <summary>Registers the world with the SDK, unless it is there already (a database kept from an earlier run).</summary>
    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var workspaces = services.GetRequiredService<IWorkspaceService>();
        try
        {
            await workspaces.GetWorkspaceAsync(Alice, TrustWorkspace, cancellationToken);
            return; // seeded on an earlier run
        }
        catch (MessagingException e) when (e.ErrorCode is MessagingErrorCodes.WorkspaceNotFound or MessagingErrorCodes.NotAMember)
        {
        }

        await workspaces.CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust,
            Name = "Northshire NHS Trust",
            DefaultWorkspaceId = TrustWorkspace,
            FirstAdmin = new NewMember(Alice, "alice.adams@northshire.nhs.example", StaffName(Alice)),
        }, cancellationToken);
        await workspaces.CreateTeamWorkspaceAsync(Alice, new CreateTeamWorkspaceRequest
        {
            OrganisationId = Trust,
            WorkspaceId = Dermatology,
            Name = "Dermatology at Northshire NHS Trust",
            HasSharedInbox = true,
        }, cancellationToken);
        foreach (var (id, name, _) in Staff.Skip(1).Take(2))
        {
            var email = $"{id.Value}@northshire.nhs.example";
            await workspaces.AddMemberAsync(Alice, TrustWorkspace, new NewMember(id, email, name), cancellationToken);
            await workspaces.AddMemberAsync(Alice, Dermatology, new NewMember(id, email, name), cancellationToken);
        }

        await workspaces.CreateTeamAsync(Alice, Dermatology, Nurses, "Dermatology nurses", [Staff[1].Id, Staff[2].Id], cancellationToken);

        var patients = services.GetRequiredService<IPatientService>();
        foreach (var patient in Patients)
        {
            await patients.RegisterAsync(Alice, TrustWorkspace, patient, cancellationToken);
        }

        var templates = services.GetRequiredService<ITemplateService>();
        foreach (var (name, body) in Templates)
        {
            await templates.CreateAsync(Alice, new CreateTemplateRequest { WorkspaceId = Dermatology, Name = name, Body = body, Shared = true }, cancellationToken);
        }

        await services.GetRequiredService<ICreditService>().PurchaseAsync(Alice, Trust, 1000, "sample: opening balance", cancellationToken);
    }
}
