using NodaTime;
using Xunit;

namespace Messaging.Testing.Storage;

/// <summary>Conversations, their assignment history and read positions (R5–R8).</summary>
public abstract class ConversationStoreTests : StoreConformanceTests
{
    /// <summary>A conversation reads back whole after it is added and after each update.</summary>
    [StoreFact]
    public async Task A_conversation_reads_back_as_written_and_as_updated()
    {
        await SeedAsync();
        var conversation = NewConversation() with { Subject = "Follow-up 12 March" };
        await WriteAsync(work => work.AddConversation(conversation));
        AssertSame(conversation, await Store.GetConversationAsync(conversation.Id));

        var updated = WithActivity(conversation, T0 + Duration.FromMinutes(5), Bob) with { Assignee = Assignee.Team(Nurses), Status = ConversationStatus.Done };
        await WriteAsync(work => work.UpdateConversation(updated, conversation.Version));

        AssertSame(updated, await Store.GetConversationAsync(conversation.Id));
        Assert.Null(await Store.GetConversationAsync(ConversationId.New()));
    }

    /// <summary>A patient's conversations: all of the workspace's, or only those a member started or sent in; newest activity first.</summary>
    [StoreFact]
    public async Task A_patients_conversations_list_newest_first_and_filter_by_participant()
    {
        await SeedAsync();
        var older = NewConversation(Alice, at: T0);
        var newer = WithActivity(NewConversation(Bob, at: T0 + Duration.FromMinutes(1)), T0 + Duration.FromMinutes(2), Alice);
        var bobs = NewConversation(Bob, at: T0 + Duration.FromMinutes(3));
        var elsewhere = NewConversation(Alice, OtherWs);
        var otherPatient = NewConversation(Alice) with { PatientId = new PatientId("p-other") };
        await WriteAsync(work =>
        {
            foreach (var c in new[] { older, newer, bobs, elsewhere, otherPatient })
            {
                work.AddConversation(c);
            }
        });

        Assert.Equal([bobs.Id, newer.Id, older.Id], (await Store.ListPatientConversationsAsync(Ws, Jane, null)).Select(c => c.Id));
        Assert.Equal([newer.Id, older.Id], (await Store.ListPatientConversationsAsync(Ws, Jane, Alice)).Select(c => c.Id));
        Assert.Empty(await Store.ListPatientConversationsAsync(Ws, Jane, Carol));
        Assert.Equal([elsewhere.Id], (await Store.ListPatientConversationsAsync(OtherWs, Jane, null)).Select(c => c.Id));
    }

    /// <summary>Assignments append in sequence; a sequence already recorded (a concurrent reassignment) conflicts.</summary>
    [StoreFact]
    public async Task Assignments_append_in_sequence_and_a_repeated_sequence_conflicts()
    {
        await SeedAsync();
        var conversation = NewConversation();
        var first = new Assignment(conversation.Id, 1, Assignee.Staff(Alice), null, Alice, T0);
        var second = new Assignment(conversation.Id, 2, Assignee.Team(Nurses), Assignee.Staff(Alice), Bob, T0 + Duration.FromMinutes(1));
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.AddAssignment(first);
        });
        await WriteAsync(work => work.AddAssignment(second));

        await CommitFailsAsync<MessagingConflictException>(
            work => work.AddAssignment(second with { AssignedTo = Assignee.Staff(Carol) }), MessagingErrorCodes.ConcurrencyConflict);

        Assert.Equal([first, second], await Store.ListAssignmentsAsync(conversation.Id));
        Assert.Empty(await Store.ListAssignmentsAsync(ConversationId.New()));
    }

    /// <summary>Read positions are per member and per conversation, and setting one replaces it.</summary>
    [StoreFact]
    public async Task Read_positions_are_per_member_and_replaced_when_set_again()
    {
        await SeedAsync();
        var conversation = NewConversation();
        await WriteAsync(work =>
        {
            work.AddConversation(conversation);
            work.SetReadPosition(new ReadPosition(conversation.Id, Alice, 3, false));
        });
        await WriteAsync(work => work.SetReadPosition(new ReadPosition(conversation.Id, Alice, 3, true)));

        Assert.Equal(new ReadPosition(conversation.Id, Alice, 3, true), await Store.GetReadPositionAsync(conversation.Id, Alice));
        Assert.Null(await Store.GetReadPositionAsync(conversation.Id, Bob));
    }
}
