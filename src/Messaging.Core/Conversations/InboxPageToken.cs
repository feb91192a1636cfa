using Messaging.Paging;

namespace Messaging.Conversations;

/// <summary>
/// Encodes an <see cref="InboxCursor"/> as an opaque, URL-safe page token bound to the query it came from, so a token
/// replayed against another view, filter or workspace is refused rather than silently skipping rows.
/// </summary>
internal static class InboxPageToken
{
    public static string Encode(KeysetPageToken tokens, InboxCursor cursor, InboxRequest request)
        => tokens.Encode(cursor.LastActivityAt, cursor.ConversationId.Value, Shape(request));

    public static InboxCursor? Decode(KeysetPageToken tokens, string? token, InboxRequest request)
        => tokens.Decode(token, Shape(request), "inbox query") is { } position
            ? new InboxCursor(position.At, new ConversationId(position.Id))
            : null;

    private static string Shape(InboxRequest request) => $"{request.WorkspaceId.Value}\n{request.View}\n{request.Status}\n{request.UnreadOnly}";
}
