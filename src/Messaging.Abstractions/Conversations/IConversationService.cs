namespace Messaging;

/// <summary>Which of a patient's conversations to list (R5).</summary>
public enum PatientConversationScope
{
    /// <summary>"My conversations": those the actor started or sent in.</summary>
    Mine = 0,

    /// <summary>"All conversations": every conversation of the workspace with the patient. Shared-inbox workspaces only.</summary>
    All = 1,
}

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

/// <summary>A request for one page of an inbox view (R7).</summary>
public sealed record InboxRequest
{
    /// <summary>The workspace.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The view: assigned to me, a colleague or a team; sent by me; all.</summary>
    public required InboxView View { get; init; }

    /// <summary>Open, done or both. The default value is <see cref="ConversationStatusFilter.Open"/>.</summary>
    public ConversationStatusFilter Status { get; init; } = ConversationStatusFilter.Open;

    /// <summary>Only conversations unread by the actor.</summary>
    public bool UnreadOnly { get; init; }

    /// <summary>Items per page; <see langword="null"/> for the configured default.</summary>
    public int? PageSize { get; init; }

    /// <summary>The <see cref="InboxResult.NextPageToken"/> of the previous page, or <see langword="null"/> for the first.</summary>
    public string? PageToken { get; init; }
}

/// <summary>One page of an inbox view.</summary>
/// <param name="Items">The rows, newest activity first, each with the actor's unread state.</param>
/// <param name="NextPageToken">An opaque token for the next page, or <see langword="null"/> on the last page.</param>
public sealed record InboxResult(IReadOnlyList<InboxItem> Items, string? NextPageToken);

/// <summary>The actor's unread counts per view (R7).</summary>
/// <param name="AssignedToMe">Unread conversations assigned to the actor.</param>
/// <param name="SentByMe">Unread conversations the actor started or sent in.</param>
/// <param name="AssignedToMyTeams">Unread conversations per team the actor belongs to.</param>
public sealed record InboxUnreadCounts(int AssignedToMe, int SentByMe, IReadOnlyDictionary<TeamId, int> AssignedToMyTeams);

/// <summary>The shared inbox (R7): views, keyset pagination, filters and unread counts.</summary>
/// <remarks>
/// Without a shared inbox a member may read only views of their own: assigned to them, sent by them, or assigned to
/// a team they belong to; anything else is refused with <see cref="MessagingErrorCodes.SharedInboxRequired"/>.
/// </remarks>
public interface IInboxService
{
    /// <summary>One page of a view, newest activity first.</summary>
    Task<InboxResult> GetPageAsync(StaffId actor, InboxRequest request, CancellationToken cancellationToken = default);

    /// <summary>The actor's unread counts.</summary>
    Task<InboxUnreadCounts> GetUnreadCountsAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);
}
