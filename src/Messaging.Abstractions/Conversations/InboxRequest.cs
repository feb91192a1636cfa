namespace Messaging;

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
