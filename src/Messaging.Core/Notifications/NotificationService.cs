using Messaging.Paging;
using Messaging.Storage;
using Messaging.Workspaces;
using NodaTime;

namespace Messaging.Notifications;

/// <summary>A member's own in-app notifications (R9, R17): list, count, mark read.</summary>
internal sealed class NotificationService(IMessagingStore store, WorkspaceAccess access, IClock clock, KeysetPageToken pageTokens) : INotificationService
{
    internal const int DefaultPageSize = 25;
    internal const int MaxPageSize = 100;

    public async Task<NotificationPage> ListAsync(StaffId actor, NotificationListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = request.PageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The page size must be between 1 and {MaxPageSize}.", "pageSize");
        }

        await access.RequireMemberAsync(request.WorkspaceId, actor, cancellationToken).ConfigureAwait(false);
        var after = pageTokens.Decode(request.PageToken, Shape(request, actor), "notification list") is { } position
            ? new NotificationCursor(position.At, new NotificationId(position.Id))
            : (NotificationCursor?)null;

        // One more than asked tells whether there is a next page without a second query.
        var rows = await store.ListNotificationsAsync(request.WorkspaceId, actor, request.UnreadOnly, after, size + 1, cancellationToken).ConfigureAwait(false);
        if (rows.Count <= size)
        {
            return new NotificationPage(rows, null);
        }

        var items = rows.Take(size).ToArray();
        var last = items[^1];
        return new NotificationPage(items, pageTokens.Encode(last.CreatedAt, last.Id.Value, Shape(request, actor)));
    }

    public async Task<int> CountUnreadAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default)
    {
        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        return await store.CountUnreadNotificationsAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkReadAsync(StaffId actor, WorkspaceId workspaceId, NotificationId notificationId, CancellationToken cancellationToken = default)
    {
        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        var notification = await store.GetNotificationAsync(notificationId, cancellationToken).ConfigureAwait(false);

        // Someone else's notification is "not found" too: its existence is not the actor's business.
        if (notification is null || notification.WorkspaceId != workspaceId || notification.Recipient != actor)
        {
            throw new MessagingNotFoundException(MessagingErrorCodes.NotificationNotFound, $"Notification '{notificationId}' was not found.");
        }

        if (notification.IsUnread)
        {
            var now = clock.GetCurrentInstant();
            await store.WriteAsync(work => work.MarkNotificationRead(notificationId, now), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<int> MarkAllReadAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default)
    {
        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var marked = 0;
        while (true)
        {
            var unread = await store.ListNotificationsAsync(workspaceId, actor, unreadOnly: true, after: null, MaxPageSize, cancellationToken).ConfigureAwait(false);
            if (unread.Count == 0)
            {
                return marked;
            }

            await store.WriteAsync(
                work =>
                {
                    foreach (var notification in unread)
                    {
                        work.MarkNotificationRead(notification.Id, now);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            marked += unread.Count;
        }
    }

    private static string Shape(NotificationListRequest request, StaffId actor) => $"notifications\n{request.WorkspaceId.Value}\n{actor.Value}\n{request.UnreadOnly}";
}
