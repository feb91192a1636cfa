namespace Messaging;

/// <summary>Patient conversations: start, continue, view, assign, mark done, read state (R5–R8).</summary>
/// <remarks>
/// The actor must be a member of the conversation's workspace; without a shared inbox they must also be a
/// participant, the assignee or in the assigned team. Updates take the version the caller last saw (or
/// <see langword="null"/> to use the current one) and are refused with
/// <see cref="MessagingErrorCodes.ConcurrencyConflict"/> when someone else changed the conversation meanwhile.
/// </remarks>
public interface IConversationService
{
    /// <summary>Starts a new conversation with a patient, assigned to the actor (R6, R8).</summary>
    Task<Conversation> StartAsync(StaffId actor, WorkspaceId workspaceId, PatientId patientId, string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a conversation (audited as a view).</summary>
    Task<Conversation> GetAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>The patient's conversations in the workspace, newest activity first: the actor's, or all of them (R5).</summary>
    Task<IReadOnlyList<Conversation>> ListForPatientAsync(StaffId actor, WorkspaceId workspaceId, PatientId patientId, PatientConversationScope scope, CancellationToken cancellationToken = default);

    /// <summary>Reassigns a conversation to a member or team of its workspace, recording the assignment (R8).</summary>
    Task<Conversation> AssignAsync(StaffId actor, ConversationId conversationId, Assignee assignee, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Marks a conversation done, or reopens it.</summary>
    Task<Conversation> SetStatusAsync(StaffId actor, ConversationId conversationId, ConversationStatus status, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Moves the actor's read position to the conversation's latest activity.</summary>
    Task MarkReadAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>Marks the conversation unread for the actor only (R7).</summary>
    Task MarkUnreadAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>The conversation's assignment history, oldest first (R8).</summary>
    Task<IReadOnlyList<Assignment>> GetAssignmentHistoryAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default);
}
