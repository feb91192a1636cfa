namespace Messaging.Storage;

/// <summary>Reads of conversations, their assignment history and read positions, and the inbox views (R5–R8).</summary>
public interface IConversationReader
{
    /// <summary>The conversation, or <see langword="null"/>.</summary>
    ValueTask<Conversation?> GetConversationAsync(ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The workspace's conversations with a patient, newest activity first; when <paramref name="participant"/> is given,
    /// only those that member started or sent in.
    /// </summary>
    ValueTask<IReadOnlyList<Conversation>> ListPatientConversationsAsync(
        WorkspaceId workspaceId, PatientId patientId, StaffId? participant, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of an inbox view (R7): conversations of the workspace matching the view and filters, ordered by
    /// <see cref="Conversation.LastActivityAt"/> descending then <see cref="Conversation.Id"/> descending, starting
    /// strictly after <see cref="InboxQuery.After"/>. Implementations must answer from an index so that a page costs
    /// the same whatever the number of conversations.
    /// </summary>
    ValueTask<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many conversations of the view are unread by <paramref name="reader"/> (open and done).</summary>
    ValueTask<int> CountUnreadAsync(WorkspaceId workspaceId, InboxView view, StaffId reader, CancellationToken cancellationToken = default);

    /// <summary>The conversation's assignment history, oldest first.</summary>
    ValueTask<IReadOnlyList<Assignment>> ListAssignmentsAsync(ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>The member's read position in the conversation, or <see langword="null"/> if they never read it.</summary>
    ValueTask<ReadPosition?> GetReadPositionAsync(ConversationId conversationId, StaffId staffId, CancellationToken cancellationToken = default);
}
