using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Workspaces;

public sealed class WorkspaceServiceTests
{
    [Fact]
    public async Task Creating_an_organisation_creates_its_default_workspace_without_a_shared_inbox_and_its_first_admin()
    {
        await using var world = await CreateAsync();

        var workspace = await world.Workspaces.GetWorkspaceAsync(Alice, TrustDefault);
        var alice = await world.Store.GetMemberAsync(TrustDefault, Alice);

        workspace.Kind.Should().Be(WorkspaceKind.OrganisationDefault);
        workspace.HasSharedInbox.Should().BeFalse();
        alice!.IsAdmin.Should().BeTrue();
        alice.Email.Value.Should().Be("alice@northshire.nhs.uk");
    }

    [Fact]
    public async Task A_team_workspace_belongs_to_the_organisation_and_its_creator_is_its_admin()
    {
        await using var world = await CreateAsync();

        var derm = await world.Workspaces.GetWorkspaceAsync(Bob, Dermatology);

        derm.Kind.Should().Be(WorkspaceKind.Team);
        derm.OrganisationId.Should().Be(Trust);
        derm.HasSharedInbox.Should().BeTrue();
        (await world.Store.GetMemberAsync(Dermatology, Alice))!.IsAdmin.Should().BeTrue();
    }

    [Fact]
    public async Task Only_an_admin_of_the_default_workspace_may_create_a_team_workspace()
    {
        await using var world = await CreateAsync();

        var act = () => world.Workspaces.CreateTeamWorkspaceAsync(Bob, new CreateTeamWorkspaceRequest
        {
            OrganisationId = Trust,
            WorkspaceId = new WorkspaceId("cardiology"),
            Name = "Cardiology",
        });

        (await act.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAnAdmin);
        (await world.Store.GetWorkspaceAsync(new WorkspaceId("cardiology"))).Should().BeNull();
    }

    [Fact]
    public async Task A_non_member_is_refused_with_an_authorization_error_and_nothing_is_written()
    {
        await using var world = await CreateAsync();
        var auditBefore = await world.AuditCountAsync();

        var list = () => world.Workspaces.ListMembersAsync(Mallory, Dermatology);
        var start = () => world.Conversations.StartAsync(Mallory, Dermatology, Jane);
        var add = () => world.Workspaces.AddMemberAsync(Mallory, Dermatology, new NewMember(Mallory, "m@example.com", "Mallory"));

        (await list.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await start.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await add.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAMember);
        (await world.Store.GetMemberAsync(Dermatology, Mallory)).Should().BeNull();
        (await world.Store.QueryInboxAsync(new InboxQuery { WorkspaceId = Dermatology, View = InboxView.All, Reader = Alice, PageSize = 10 })).Items.Should().BeEmpty();
        (await world.AuditCountAsync()).Should().Be(auditBefore);
    }

    [Fact]
    public async Task Admins_add_members_by_staff_id_and_email_and_members_cannot()
    {
        await using var world = await CreateAsync();
        var dave = new NewMember(new StaffId("dave"), "dave@northshire.nhs.uk", "Dave Dunn");

        var byMember = () => world.Workspaces.AddMemberAsync(Bob, Dermatology, dave);
        (await byMember.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.NotAnAdmin);

        var added = await world.Workspaces.AddMemberAsync(Alice, Dermatology, dave);

        added.Role.Should().Be(WorkspaceRole.Member);
        (await world.Workspaces.ListMembersAsync(Bob, Dermatology)).Select(m => m.StaffId.Value)
            .Should().Equal("alice", "bob", "carol", "dave");
    }

    [Fact]
    public async Task Adding_someone_who_is_already_a_member_is_a_conflict()
    {
        await using var world = await CreateAsync();

        var act = () => world.Workspaces.AddMemberAsync(Alice, Dermatology, new NewMember(Bob, "bob@northshire.nhs.uk", "Bob"));

        (await act.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AlreadyExists);
    }

    [Fact]
    public async Task A_member_with_an_invalid_email_is_refused()
    {
        await using var world = await CreateAsync();

        var act = () => world.Workspaces.AddMemberAsync(Alice, Dermatology, new NewMember(new StaffId("erin"), "erin at nhs", "Erin"));

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InvalidEmail);
        (await world.Store.GetMemberAsync(Dermatology, new StaffId("erin"))).Should().BeNull();
    }

    [Fact]
    public async Task Removing_a_member_takes_them_out_of_the_workspace_and_its_teams()
    {
        await using var world = await CreateAsync();

        await world.Workspaces.RemoveMemberAsync(Alice, Dermatology, Bob);

        (await world.Store.GetMemberAsync(Dermatology, Bob)).Should().BeNull();
        (await world.Store.GetTeamAsync(Dermatology, Nurses))!.Members.Should().Equal(Carol);
        var act = () => world.Workspaces.ListMembersAsync(Bob, Dermatology);
        await act.Should().ThrowAsync<MessagingAuthorizationException>();
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_removed_nor_demoted()
    {
        await using var world = await CreateAsync();

        var remove = () => world.Workspaces.RemoveMemberAsync(Alice, Dermatology, Alice);
        var demote = () => world.Workspaces.SetRoleAsync(Alice, Dermatology, Alice, WorkspaceRole.Member);

        (await remove.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.LastAdmin);
        (await demote.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.LastAdmin);

        await world.Workspaces.SetRoleAsync(Alice, Dermatology, Bob, WorkspaceRole.Admin);
        await world.Workspaces.RemoveMemberAsync(Bob, Dermatology, Alice);
        (await world.Store.GetMemberAsync(Dermatology, Alice)).Should().BeNull();
    }

    [Fact]
    public async Task A_team_can_only_hold_members_of_its_workspace()
    {
        await using var world = await CreateAsync();

        var act = () => world.Workspaces.CreateTeamAsync(Alice, Dermatology, new TeamId("mixed"), "Mixed", [Bob, Mallory]);

        (await act.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.MemberNotFound);
        (await world.Store.GetTeamAsync(Dermatology, new TeamId("mixed"))).Should().BeNull();
    }

    [Fact]
    public async Task Membership_changes_are_audited_with_actor_and_target()
    {
        await using var world = await CreateAsync();

        await world.Workspaces.AddMemberAsync(Alice, Dermatology, new NewMember(new StaffId("dave"), "dave@northshire.nhs.uk", "Dave"));
        await world.Workspaces.RemoveMemberAsync(Alice, Dermatology, new StaffId("dave"));

        var events = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, TargetId = "dave" });
        events.Select(e => (e.Action, e.Actor, e.WorkspaceId)).Should().Equal(
            (AuditAction.MemberAdded, AuditActor.Staff(Alice), (WorkspaceId?)Dermatology),
            (AuditAction.MemberRemoved, AuditActor.Staff(Alice), (WorkspaceId?)Dermatology));
    }
}

public sealed class WorkspaceSwitcherTests
{
    [Fact]
    public async Task A_member_lists_their_workspaces_default_first_with_their_role_and_shared_inbox()
    {
        await using var world = await CreateAsync(dermatologyHasSharedInbox: true);

        var bobs = await world.Workspaces.ListMyWorkspacesAsync(Bob);
        var alices = await world.Workspaces.ListMyWorkspacesAsync(Alice);

        bobs.Select(w => (w.Workspace.Id, w.Role, w.Workspace.HasSharedInbox)).Should().Equal(
            (TrustDefault, WorkspaceRole.Member, false),
            (Dermatology, WorkspaceRole.Member, true));
        alices.Select(w => w.Role).Should().Equal(WorkspaceRole.Admin, WorkspaceRole.Admin);
        bobs.Should().OnlyContain(w => w.UnreadCount == 0);
    }

    [Fact]
    public async Task Someone_who_belongs_nowhere_gets_an_empty_list_and_a_removed_member_loses_the_workspace()
    {
        await using var world = await CreateAsync();

        (await world.Workspaces.ListMyWorkspacesAsync(Mallory)).Should().BeEmpty();
        await world.Workspaces.RemoveMemberAsync(Alice, Dermatology, Carol);
        (await world.Workspaces.ListMyWorkspacesAsync(Carol)).Select(w => w.Workspace.Id).Should().Equal(TrustDefault);
    }

    [Fact]
    public async Task Each_workspace_counts_what_waits_unread_for_the_member_there_assigned_to_them_or_their_teams()
    {
        await using var world = await CreateAsync();
        var toTeam = await world.Conversations.StartAsync(Alice, Dermatology, Jane);
        await world.Conversations.AssignAsync(Alice, toTeam.Id, Assignee.Team(Nurses));
        await world.RecordActivityAsync(toTeam.Id, Alice);
        var toBob = await world.Conversations.StartAsync(Alice, TrustDefault, Jane);
        await world.Conversations.AssignAsync(Alice, toBob.Id, Assignee.Staff(Bob));
        await world.RecordActivityAsync(toBob.Id, Alice);
        var aliceOwn = await world.Conversations.StartAsync(Alice, Dermatology, Jane);
        await world.RecordActivityAsync(aliceOwn.Id, Alice);

        var bobs = (await world.Workspaces.ListMyWorkspacesAsync(Bob)).ToDictionary(w => w.Workspace.Id, w => w.UnreadCount);
        var carols = (await world.Workspaces.ListMyWorkspacesAsync(Carol)).ToDictionary(w => w.Workspace.Id, w => w.UnreadCount);

        bobs.Should().Equal(new Dictionary<WorkspaceId, int> { [TrustDefault] = 1, [Dermatology] = 1 });
        carols.Should().Equal(new Dictionary<WorkspaceId, int> { [TrustDefault] = 0, [Dermatology] = 1 }, "Alice's own conversation is not Carol's to answer");
        var inbox = await world.Inbox.GetUnreadCountsAsync(Bob, Dermatology);
        bobs[Dermatology].Should().Be(inbox.AssignedToMe + inbox.AssignedToMyTeams.Values.Sum(), "the switcher agrees with the inbox's own badges");

        await world.Conversations.MarkReadAsync(Bob, toTeam.Id);
        (await world.Workspaces.ListMyWorkspacesAsync(Bob)).Single(w => w.Workspace.Id == Dermatology).UnreadCount.Should().Be(0);
    }
}
