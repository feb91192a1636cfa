using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Conversations;

public sealed class ConversationServiceTests
{
    [Fact]
    public async Task A_new_conversation_is_open_assigned_to_its_starter_and_records_that_assignment()
    {
        await using var world = await CreateAsync();

        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane, "Biopsy results");

        conversation.Status.Should().Be(ConversationStatus.Open);
        conversation.Assignee.Should().Be(Assignee.Staff(Bob));
        conversation.Participants.Should().Equal(Bob);
        var history = await world.Conversations.GetAssignmentHistoryAsync(Bob, conversation.Id);
        history.Should().ContainSingle().Which.Should().Match<Assignment>(a =>
            a.Sequence == 1 && a.AssignedTo == Assignee.Staff(Bob) && a.PreviousAssignee == null && a.AssignedBy == Bob);
    }

    [Fact]
    public async Task Starting_a_conversation_with_an_unknown_patient_is_refused()
    {
        await using var world = await CreateAsync();

        var act = () => world.Conversations.StartAsync(Bob, Dermatology, new PatientId("nobody"));

        (await act.Should().ThrowAsync<MessagingNotFoundException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.PatientNotFound);
    }

    [Fact]
    public async Task My_conversations_are_those_I_started_or_sent_in_and_all_conversations_are_every_one_with_the_patient()
    {
        await using var world = await CreateAsync();
        var bobs = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var carols = await world.Conversations.StartAsync(Carol, Dermatology, Jane);
        var alices = await world.Conversations.StartAsync(Alice, Dermatology, Jane);
        await world.RecordActivityAsync(alices.Id, sender: Bob); // Bob sent in Alice's conversation

        var mine = await world.Conversations.ListForPatientAsync(Bob, Dermatology, Jane, PatientConversationScope.Mine);
        var all = await world.Conversations.ListForPatientAsync(Bob, Dermatology, Jane, PatientConversationScope.All);

        mine.Select(c => c.Id).Should().Equal(alices.Id, bobs.Id);
        all.Select(c => c.Id).Should().Equal(alices.Id, carols.Id, bobs.Id);
    }

    [Fact]
    public async Task All_conversations_are_refused_in_a_workspace_without_a_shared_inbox()
    {
        await using var world = await CreateAsync();
        await world.Conversations.StartAsync(Bob, TrustDefault, Jane);

        var act = () => world.Conversations.ListForPatientAsync(Bob, TrustDefault, Jane, PatientConversationScope.All);

        (await act.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.SharedInboxRequired);
        (await world.Conversations.ListForPatientAsync(Bob, TrustDefault, Jane, PatientConversationScope.Mine)).Should().ContainSingle();
    }

    [Fact]
    public async Task Without_a_shared_inbox_a_colleague_cannot_open_my_conversation_but_with_one_they_can()
    {
        await using var world = await CreateAsync();
        var private1 = await world.Conversations.StartAsync(Bob, TrustDefault, Jane);
        var shared = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        var peek = () => world.Conversations.GetAsync(Carol, private1.Id);

        (await peek.Should().ThrowAsync<MessagingAuthorizationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.ConversationNotVisible);
        (await world.Conversations.GetAsync(Carol, shared.Id)).Id.Should().Be(shared.Id);
    }

    [Fact]
    public async Task Any_member_may_reassign_to_a_member_or_a_team_and_each_assignment_is_recorded()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        await world.Conversations.AssignAsync(Carol, conversation.Id, Assignee.Team(Nurses));
        var final = await world.Conversations.AssignAsync(Alice, conversation.Id, Assignee.Staff(Carol));

        final.Assignee.Should().Be(Assignee.Staff(Carol));
        var history = await world.Conversations.GetAssignmentHistoryAsync(Bob, conversation.Id);
        history.Select(a => (a.Sequence, a.AssignedTo, a.PreviousAssignee, a.AssignedBy)).Should().Equal(
            (1, Assignee.Staff(Bob), (Assignee?)null, Bob),
            (2, Assignee.Team(Nurses), (Assignee?)Assignee.Staff(Bob), Carol),
            (3, Assignee.Staff(Carol), (Assignee?)Assignee.Team(Nurses), Alice));
        var audit = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, TargetId = conversation.Id.ToString(), Action = AuditAction.ConversationAssigned });
        audit.Should().HaveCount(3);
        audit[^1].Details.Should().Contain("to", "Staff:carol").And.Contain("from", "Team:derm-nurses");
    }

    [Theory]
    [InlineData("staff", "mallory")]  // not a member of the workspace
    [InlineData("team", "cardio-nurses")] // no such team in the workspace
    public async Task Reassigning_to_someone_outside_the_workspace_is_refused_and_nothing_changes(string kind, string id)
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var outsider = kind == "staff" ? Assignee.Staff(new StaffId(id)) : Assignee.Team(new TeamId(id));

        var act = () => world.Conversations.AssignAsync(Bob, conversation.Id, outsider);

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AssigneeNotInWorkspace);
        var stored = await world.Store.GetConversationAsync(conversation.Id);
        stored!.Assignee.Should().Be(Assignee.Staff(Bob));
        stored.Version.Should().Be(conversation.Version);
        (await world.Store.ListAssignmentsAsync(conversation.Id)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_member_of_another_workspace_of_the_same_trust_cannot_be_assigned()
    {
        await using var world = await CreateAsync();
        await world.Workspaces.AddMemberAsync(Alice, TrustDefault, new NewMember(new StaffId("dave"), "dave@northshire.nhs.uk", "Dave"));
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        var act = () => world.Conversations.AssignAsync(Bob, conversation.Id, Assignee.Staff(new StaffId("dave")));

        (await act.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AssigneeNotInWorkspace);
    }

    [Fact]
    public async Task An_update_made_from_a_stale_version_is_refused_as_a_conflict()
    {
        await using var world = await CreateAsync();
        var seenByBoth = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        await world.Conversations.AssignAsync(Bob, seenByBoth.Id, Assignee.Staff(Carol), seenByBoth.Version);

        var stale = () => world.Conversations.AssignAsync(Alice, seenByBoth.Id, Assignee.Team(Nurses), seenByBoth.Version);

        (await stale.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.ConcurrencyConflict);
        (await world.Store.GetConversationAsync(seenByBoth.Id))!.Assignee.Should().Be(Assignee.Staff(Carol));
        (await world.Store.ListAssignmentsAsync(seenByBoth.Id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Concurrent_reassignments_of_one_version_let_exactly_one_win()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var targets = new[] { Assignee.Staff(Alice), Assignee.Staff(Carol), Assignee.Team(Nurses), Assignee.Staff(Bob) };

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            try
            {
                await world.Conversations.AssignAsync(Alice, conversation.Id, targets[i % targets.Length], conversation.Version);
                return true;
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict)
            {
                return false;
            }
        })));

        results.Count(won => won).Should().Be(1);
        (await world.Store.ListAssignmentsAsync(conversation.Id)).Should().HaveCount(2);
        (await world.Store.GetConversationAsync(conversation.Id))!.Version.Should().Be(conversation.Version + 1);
    }

    [Fact]
    public async Task Marking_done_and_reopening_moves_the_version_on_and_is_audited()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);

        var done = await world.Conversations.SetStatusAsync(Bob, conversation.Id, ConversationStatus.Done);
        var reopened = await world.Conversations.SetStatusAsync(Carol, conversation.Id, ConversationStatus.Open, done.Version);

        done.Status.Should().Be(ConversationStatus.Done);
        reopened.Status.Should().Be(ConversationStatus.Open);
        reopened.Version.Should().Be(conversation.Version + 2);
        (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.ConversationStatusChanged }))
            .Select(e => e.Details!["status"]).Should().Equal("Done", "Open");
    }

    [Fact]
    public async Task Starting_and_viewing_are_audited_with_who_what_when_and_which_patient()
    {
        await using var world = await CreateAsync();
        var conversation = await world.Conversations.StartAsync(Bob, Dermatology, Jane);
        var viewedAt = world.Clock.GetCurrentInstant();

        await world.Conversations.GetAsync(Carol, conversation.Id);

        var events = await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, PatientId = Jane, TargetId = conversation.Id.ToString() });
        events.Select(e => e.Action).Should().Equal(AuditAction.ConversationStarted, AuditAction.ConversationAssigned, AuditAction.ConversationViewed);
        var view = events[^1];
        view.Actor.Should().Be(AuditActor.Staff(Carol));
        view.WorkspaceId.Should().Be(Dermatology);
        view.OccurredAt.Should().BeGreaterThanOrEqualTo(viewedAt);
    }
}
