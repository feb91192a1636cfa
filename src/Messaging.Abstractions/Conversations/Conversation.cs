using NodaTime;

namespace Messaging;

/// <summary>Whether a conversation still needs work.</summary>
public enum ConversationStatus
{
    /// <summary>Needs attention. A patient's reply reopens a done conversation.</summary>
    Open = 0,

    /// <summary>Marked done by staff.</summary>
    Done = 1,
}

/// <summary>What a conversation is assigned to: a member or a team of its workspace (R8).</summary>
public enum AssigneeKind
{
    /// <summary>A staff member.</summary>
    Staff = 0,

    /// <summary>A team of the workspace.</summary>
    Team = 1,
}

/// <summary>The member or team a conversation is assigned to (R8).</summary>
public readonly record struct Assignee
{
    private Assignee(AssigneeKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>Member or team.</summary>
    public AssigneeKind Kind { get; }

    /// <summary>The staff id or the team id.</summary>
    public string Id { get; }

    /// <summary>Assigned to a staff member.</summary>
    public static Assignee Staff(StaffId staffId) => new(AssigneeKind.Staff, staffId.Value);

    /// <summary>Assigned to a team.</summary>
    public static Assignee Team(TeamId teamId) => new(AssigneeKind.Team, teamId.Value);

    /// <summary>The staff id, when <see cref="Kind"/> is <see cref="AssigneeKind.Staff"/>.</summary>
    public StaffId? StaffId => Kind == AssigneeKind.Staff ? new StaffId(Id) : null;

    /// <summary>The team id, when <see cref="Kind"/> is <see cref="AssigneeKind.Team"/>.</summary>
    public TeamId? TeamId => Kind == AssigneeKind.Team ? new TeamId(Id) : null;

    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{Id}";
}

/// <summary>
/// A conversation between a workspace and one patient (R5): a thread of messages, assigned to a member or team,
/// open or done, and read or unread per member (R7).
/// </summary>
public sealed record Conversation
{
    /// <summary>Its id.</summary>
    public required ConversationId Id { get; init; }

    /// <summary>The organisation of its workspace.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace it belongs to.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The patient it is with.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>The member who started it.</summary>
    public required StaffId StartedBy { get; init; }

    /// <summary>Who it is assigned to now; the starter at first (R8).</summary>
    public required Assignee Assignee { get; init; }

    /// <summary>Open or done.</summary>
    public required ConversationStatus Status { get; init; }

    /// <summary>An optional staff-facing subject (e.g. "Follow-up 12 March"). Not sent to the patient.</summary>
    public string? Subject { get; init; }

    /// <summary>Members who started it or sent in it: "My conversations" and "Sent by" (R5, R7).</summary>
    public required IReadOnlyList<StaffId> Participants { get; init; }

    /// <summary>When it was started.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When its latest message was sent or received (or when it started). Inbox views sort by it, newest first.</summary>
    public required Instant LastActivityAt { get; init; }

    /// <summary>
    /// A counter raised by each message. A member's read position is the value they last read up to, so
    /// "unread" is <c>ReadPosition &lt; ActivitySequence</c> (R7).
    /// </summary>
    public required long ActivitySequence { get; init; }

    /// <summary>The optimistic-concurrency version; raised by every update. A stale update is refused.</summary>
    public required long Version { get; init; }

    /// <summary>Whether the member started or sent in this conversation.</summary>
    public bool IsParticipant(StaffId staffId) => Participants.Contains(staffId);

    /// <summary>Ids and states only: the subject may be patient data (R22).</summary>
    public override string ToString() => $"Conversation {{ Id = {Id}, WorkspaceId = {WorkspaceId}, Status = {Status}, Assignee = {Assignee}, Version = {Version} }}";
}

/// <summary>One entry of a conversation's assignment history (R8).</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Sequence">1 for the first assignment (to the starter), then 2, 3, …</param>
/// <param name="AssignedTo">The new assignee.</param>
/// <param name="PreviousAssignee">The previous assignee, or <see langword="null"/> for the first.</param>
/// <param name="AssignedBy">The member who made the assignment.</param>
/// <param name="AssignedAt">When.</param>
public sealed record Assignment(
    ConversationId ConversationId,
    int Sequence,
    Assignee AssignedTo,
    Assignee? PreviousAssignee,
    StaffId AssignedBy,
    Instant AssignedAt);

/// <summary>A member's read position in a conversation (R7), like Twilio's read horizon or Chatwoot's last-seen.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="StaffId">The member.</param>
/// <param name="ReadUpTo">The <see cref="Conversation.ActivitySequence"/> the member has read up to.</param>
/// <param name="MarkedUnread">The member marked it unread explicitly; cleared when they read it again.</param>
public sealed record ReadPosition(ConversationId ConversationId, StaffId StaffId, long ReadUpTo, bool MarkedUnread);
