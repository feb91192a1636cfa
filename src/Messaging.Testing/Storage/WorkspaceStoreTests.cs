using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>Organisations, workspaces, members, teams and patients (R1–R4).</summary>
public abstract class WorkspaceStoreTests : StoreConformanceTests
{
    /// <summary>What was written reads back whole; what was never written reads as null or empty.</summary>
    [StoreFact]
    public async Task Organisations_workspaces_members_and_teams_read_back_as_written()
    {
        await SeedAsync();

        Assert.Equal(new Organisation(Org, "Conformance NHS Trust", Ws, T0), await Store.GetOrganisationAsync(Org));
        Assert.Equal(new Workspace(Ws, Org, "Conformance workspace", WorkspaceKind.OrganisationDefault, true, T0), await Store.GetWorkspaceAsync(Ws));
        Assert.Equal(Member(Ws, Alice, WorkspaceRole.Admin), await Store.GetMemberAsync(Ws, Alice));
        var team = await Store.GetTeamAsync(Ws, Nurses);
        Assert.NotNull(team);
        Assert.Equal([Bob, Carol], team.Members);
        Assert.Equal("Nurses", team.Name);

        Assert.Null(await Store.GetOrganisationAsync(OtherOrg));
        Assert.Null(await Store.GetWorkspaceAsync(new WorkspaceId("nowhere")));
        Assert.Null(await Store.GetMemberAsync(Ws, new StaffId("mallory")));
        Assert.Null(await Store.GetTeamAsync(OtherWs, Nurses));
        Assert.Empty(await Store.ListMembersAsync(new WorkspaceId("nowhere")));
        Assert.Empty(await Store.ListTeamsAsync(OtherWs));
    }

    /// <summary>Members list by staff id in ordinal order; teams by id.</summary>
    [StoreFact]
    public async Task Members_and_teams_are_listed_in_ordinal_id_order()
    {
        await SeedAsync();
        await WriteAsync(work =>
        {
            work.UpsertMember(Member(Ws, new StaffId("Zed")));
            work.UpsertMember(Member(Ws, new StaffId("aaron")));
            work.AddTeam(new Team(new TeamId("Admins"), Ws, "Admins", [Alice], T0));
            work.AddTeam(new Team(new TeamId("zeta"), Ws, "Zeta", [], T0));
        });

        var members = await Store.ListMembersAsync(Ws);
        Assert.Equal(["Zed", "aaron", "alice", "bob", "carol"], members.Select(m => m.StaffId.Value));
        var teams = await Store.ListTeamsAsync(Ws);
        Assert.Equal(["Admins", "nurses", "zeta"], teams.Select(t => t.Id.Value));
        Assert.Empty(teams[2].Members);
    }

    /// <summary>A staff member's memberships come from every workspace they belong to, in ordinal workspace-id order, and only theirs.</summary>
    [StoreFact]
    public async Task A_staff_members_memberships_list_every_workspace_they_belong_to_in_ordinal_id_order()
    {
        await SeedAsync();
        var later = new WorkspaceId("Zulu-ward");
        await WriteAsync(work =>
        {
            work.AddWorkspace(new Workspace(later, Org, "Zulu ward", WorkspaceKind.Team, false, T0));
            work.UpsertMember(Member(later, Bob, WorkspaceRole.Admin));
        });

        var bobs = await Store.ListMembershipsAsync(Bob);

        var expected = new[] { Member(later, Bob, WorkspaceRole.Admin) }
            .Concat((await Store.ListMembersAsync(Ws)).Where(m => m.StaffId == Bob))
            .Concat((await Store.ListMembersAsync(OtherWs)).Where(m => m.StaffId == Bob))
            .OrderBy(m => m.WorkspaceId.Value, StringComparer.Ordinal);
        Assert.Equal(expected, bobs);
        Assert.Equal(3, bobs.Count);
        Assert.All(bobs, m => Assert.Equal(Bob, m.StaffId));
        Assert.Empty(await Store.ListMembershipsAsync(new StaffId("mallory")));
        await WriteAsync(work => work.RemoveMember(later, Bob));
        Assert.DoesNotContain(await Store.ListMembershipsAsync(Bob), m => m.WorkspaceId == later);
    }

    /// <summary>Upserting a member replaces their role and details; removing them also takes them out of the workspace's teams.</summary>
    [StoreFact]
    public async Task Upserting_a_member_replaces_it_and_removing_a_member_takes_them_out_of_teams()
    {
        await SeedAsync();
        var promoted = Member(Ws, Bob, WorkspaceRole.Admin) with { DisplayName = "Dr Bob" };
        await WriteAsync(work => work.UpsertMember(promoted));
        Assert.Equal(promoted, await Store.GetMemberAsync(Ws, Bob));

        await WriteAsync(work => work.RemoveMember(Ws, Bob));

        Assert.Null(await Store.GetMemberAsync(Ws, Bob));
        Assert.Equal([Carol], (await Store.GetTeamAsync(Ws, Nurses))!.Members);
        Assert.NotNull(await Store.GetMemberAsync(OtherWs, Bob));
        await WriteAsync(work => work.RemoveMember(Ws, new StaffId("never-a-member")));
    }

    /// <summary>Updating a team replaces its name and members, in the order given.</summary>
    [StoreFact]
    public async Task Updating_a_team_replaces_its_name_and_members()
    {
        await SeedAsync();
        await WriteAsync(work => work.UpdateTeam(new Team(Nurses, Ws, "Senior nurses", [Carol, Alice], T0)));

        var team = await Store.GetTeamAsync(Ws, Nurses);
        Assert.Equal("Senior nurses", team!.Name);
        Assert.Equal([Carol, Alice], team.Members);
    }

    /// <summary>Organisations, workspaces and teams are unique by id.</summary>
    [StoreFact]
    public async Task Adding_an_organisation_workspace_or_team_twice_is_refused_as_already_existing()
    {
        await SeedAsync();

        await CommitFailsAsync<MessagingConflictException>(w => w.AddOrganisation(new Organisation(Org, "Again", Ws, T0)), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(w => w.AddWorkspace(new Workspace(Ws, Org, "Again", WorkspaceKind.Team, false, T0)), MessagingErrorCodes.AlreadyExists);
        await CommitFailsAsync<MessagingConflictException>(w => w.AddTeam(new Team(Nurses, Ws, "Again", [], T0)), MessagingErrorCodes.AlreadyExists);
        Assert.Equal("Conformance NHS Trust", (await Store.GetOrganisationAsync(Org))!.Name);
        Assert.Equal("Nurses", (await Store.GetTeamAsync(Ws, Nurses))!.Name);
    }
}

/// <summary>Patients (R4): one record per host id, NHS numbers unique within an organisation.</summary>
public abstract class PatientStoreTests : StoreConformanceTests
{
    /// <summary>A patient reads back whole, by id and by NHS number, in their organisation only.</summary>
    [StoreFact]
    public async Task A_patient_reads_back_by_id_and_by_nhs_number_within_the_organisation()
    {
        var jane = Patient(Jane, 1);
        var noContact = Patient(new PatientId("p-2"), 2) with { Mobile = null, Email = null };
        await WriteAsync(work =>
        {
            work.UpsertPatient(jane);
            work.UpsertPatient(noContact);
        });

        Assert.Equal(jane, await Store.GetPatientAsync(Org, Jane));
        Assert.Equal(noContact, await Store.GetPatientAsync(Org, noContact.Id));
        Assert.Equal(jane, await Store.FindPatientByNhsNumberAsync(Org, jane.NhsNumber!.Value));
        Assert.Null(await Store.GetPatientAsync(OtherOrg, Jane));
        Assert.Null(await Store.FindPatientByNhsNumberAsync(OtherOrg, jane.NhsNumber!.Value));
        Assert.Null(await Store.FindPatientByNhsNumberAsync(Org, NhsNumber.Parse(ValidNhsNumber(3))));
    }

    /// <summary>Upserting replaces the record; a changed NHS number frees the old one for another patient.</summary>
    [StoreFact]
    public async Task Upserting_a_patient_replaces_the_record_and_frees_an_old_nhs_number()
    {
        await WriteAsync(work => work.UpsertPatient(Patient(Jane, 1)));
        var renumbered = Patient(Jane, 2) with { GivenName = "Janet", UpdatedAt = T0 + NodaTime.Duration.FromMinutes(1) };
        await WriteAsync(work => work.UpsertPatient(renumbered));

        Assert.Equal(renumbered, await Store.GetPatientAsync(Org, Jane));
        Assert.Null(await Store.FindPatientByNhsNumberAsync(Org, NhsNumber.Parse(ValidNhsNumber(1))));
        var other = Patient(new PatientId("p-2"), 1);
        await WriteAsync(work => work.UpsertPatient(other));
        Assert.Equal(other.Id, (await Store.FindPatientByNhsNumberAsync(Org, other.NhsNumber!.Value))!.Id);
    }

    /// <summary>Two patients of one organisation cannot share an NHS number; patients of two organisations can.</summary>
    [StoreFact]
    public async Task An_nhs_number_is_unique_within_an_organisation()
    {
        await WriteAsync(work =>
        {
            work.UpsertPatient(Patient(Jane, 1));
            work.UpsertPatient(Patient(Jane, 1, OtherOrg));
        });

        await CommitFailsAsync<MessagingConflictException>(work => work.UpsertPatient(Patient(new PatientId("p-2"), 1)), MessagingErrorCodes.AlreadyExists);

        Assert.Null(await Store.GetPatientAsync(Org, new PatientId("p-2")));
        Assert.NotNull(await Store.GetPatientAsync(OtherOrg, Jane));
    }

    /// <summary>
    /// R33: any number of patients of one organisation may have no NHS number (the uniqueness holds only among those
    /// who have one); they read back by id, and no NHS-number lookup ever finds them.
    /// </summary>
    [StoreFact]
    public async Task Many_patients_without_an_nhs_number_coexist_and_are_found_by_id_only()
    {
        var first = PatientWithoutNhsNumber(new PatientId("client-1"));
        var second = PatientWithoutNhsNumber(new PatientId("client-2")) with { GivenName = "Sam" };
        await WriteAsync(work =>
        {
            work.UpsertPatient(first);
            work.UpsertPatient(second);
        });
        await WriteAsync(work => work.UpsertPatient(PatientWithoutNhsNumber(new PatientId("client-3"))));
        await WriteAsync(work => work.UpsertPatient(Patient(Jane, 1)));

        Assert.Equal(first, await Store.GetPatientAsync(Org, first.Id));
        Assert.Equal(second, await Store.GetPatientAsync(Org, second.Id));
        Assert.Null((await Store.GetPatientAsync(Org, new PatientId("client-3")))!.NhsNumber);
        Assert.Null(await Store.FindPatientByNhsNumberAsync(Org, NhsNumber.Parse(ValidNhsNumber(0))));
        Assert.Equal(Jane, (await Store.FindPatientByNhsNumberAsync(Org, NhsNumber.Parse(ValidNhsNumber(1))))!.Id);
    }

    /// <summary>Dropping a patient's NHS number frees it for another patient; giving one back to them is checked again.</summary>
    [StoreFact]
    public async Task Removing_a_patients_nhs_number_frees_it_and_adding_one_is_checked()
    {
        await WriteAsync(work => work.UpsertPatient(Patient(Jane, 1)));
        await WriteAsync(work => work.UpsertPatient(PatientWithoutNhsNumber(Jane)));

        Assert.Null(await Store.FindPatientByNhsNumberAsync(Org, NhsNumber.Parse(ValidNhsNumber(1))));
        await WriteAsync(work => work.UpsertPatient(Patient(new PatientId("p-2"), 1)));
        await CommitFailsAsync<MessagingConflictException>(work => work.UpsertPatient(Patient(Jane, 1)), MessagingErrorCodes.AlreadyExists);

        Assert.Null((await Store.GetPatientAsync(Org, Jane))!.NhsNumber);
        Assert.Equal(new PatientId("p-2"), (await Store.FindPatientByNhsNumberAsync(Org, NhsNumber.Parse(ValidNhsNumber(1))))!.Id);
    }
}
