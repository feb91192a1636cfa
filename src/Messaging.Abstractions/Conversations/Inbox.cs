namespace Messaging;

/// <summary>Which inbox view to read (R7).</summary>
public enum InboxViewKind
{
    /// <summary>Conversations assigned to a staff member (me, or a named colleague in a shared inbox).</summary>
    AssignedToStaff = 0,

    /// <summary>Conversations assigned to a team.</summary>
    AssignedToTeam = 1,

    /// <summary>Conversations a staff member started or sent in.</summary>
    SentBy = 2,

    /// <summary>Every conversation of the workspace (shared inbox only).</summary>
    All = 3,
}

/// <summary>An inbox view: the kind and whose it is.</summary>
public readonly record struct InboxView
{
    private InboxView(InboxViewKind kind, string? id)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>The kind of view.</summary>
    public InboxViewKind Kind { get; }

    /// <summary>The staff or team id the view is about; <see langword="null"/> for <see cref="InboxViewKind.All"/>.</summary>
    public string? Id { get; }

    /// <summary>Assigned to this member.</summary>
    public static InboxView AssignedTo(StaffId staffId) => new(InboxViewKind.AssignedToStaff, staffId.Value);

    /// <summary>Assigned to this team.</summary>
    public static InboxView AssignedTo(TeamId teamId) => new(InboxViewKind.AssignedToTeam, teamId.Value);

    /// <summary>Started or sent in by this member.</summary>
    public static InboxView SentBy(StaffId staffId) => new(InboxViewKind.SentBy, staffId.Value);

    /// <summary>All conversations of the workspace.</summary>
    public static InboxView All { get; } = new(InboxViewKind.All, null);

    /// <summary>Whether a conversation belongs in this view.</summary>
    public bool Matches(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return Kind switch
        {
            InboxViewKind.AssignedToStaff => conversation.Assignee.Kind == AssigneeKind.Staff && conversation.Assignee.Id == Id,
            InboxViewKind.AssignedToTeam => conversation.Assignee.Kind == AssigneeKind.Team && conversation.Assignee.Id == Id,
            InboxViewKind.SentBy => conversation.Participants.Contains(new StaffId(Id!)),
            _ => true,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Id is null ? Kind.ToString() : $"{Kind}:{Id}";
}

/// <summary>Filters a view by open/done.</summary>
public enum ConversationStatusFilter
{
    /// <summary>Open and done.</summary>
    Any = 0,

    /// <summary>Open only.</summary>
    Open = 1,

    /// <summary>Done only.</summary>
    Done = 2,
}

/// <summary>The position after which the next page starts: the last item's activity time and id (keyset pagination).</summary>
/// <param name="LastActivityAt">The last item's <see cref="Conversation.LastActivityAt"/>.</param>
/// <param name="ConversationId">The last item's id, which breaks ties.</param>
public readonly record struct InboxCursor(NodaTime.Instant LastActivityAt, ConversationId ConversationId);

/// <summary>What a store is asked for: one page of one view, newest activity first, ties broken by id descending.</summary>
public sealed record InboxQuery
{
    /// <summary>The workspace.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The view.</summary>
    public required InboxView View { get; init; }

    /// <summary>Whose read positions decide "unread".</summary>
    public required StaffId Reader { get; init; }

    /// <summary>Open, done or both.</summary>
    public ConversationStatusFilter Status { get; init; }

    /// <summary>Only conversations unread by <see cref="Reader"/>.</summary>
    public bool UnreadOnly { get; init; }

    /// <summary>Start after this position; <see langword="null"/> for the first page.</summary>
    public InboxCursor? After { get; init; }

    /// <summary>How many items at most.</summary>
    public required int PageSize { get; init; }
}

/// <summary>A conversation as an inbox row: the conversation and whether the reader has read it.</summary>
/// <param name="Conversation">The conversation.</param>
/// <param name="IsUnread">Whether it is unread for the reader (R7).</param>
public sealed record InboxItem(Conversation Conversation, bool IsUnread);

/// <summary>One page of an inbox view.</summary>
/// <param name="Items">The rows, newest activity first.</param>
/// <param name="NextCursor">Where the next page starts, or <see langword="null"/> on the last page.</param>
public sealed record InboxPage(IReadOnlyList<InboxItem> Items, InboxCursor? NextCursor);
