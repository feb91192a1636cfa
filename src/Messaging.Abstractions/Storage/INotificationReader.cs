namespace Messaging.Storage;

/// <summary>Reads of staff members' in-app notifications (R9, R17).</summary>
public interface INotificationReader
{
    /// <summary>The notification, or <see langword="null"/>.</summary>
    ValueTask<Notification?> GetNotificationAsync(NotificationId notificationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> of the member's notifications in the workspace, ordered by
    /// <see cref="Notification.CreatedAt"/> descending then <see cref="Notification.Id"/> descending, starting strictly
    /// after <paramref name="after"/>; only unread ones when <paramref name="unreadOnly"/>.
    /// </summary>
    ValueTask<IReadOnlyList<Notification>> ListNotificationsAsync(
        WorkspaceId workspaceId, StaffId recipient, bool unreadOnly, NotificationCursor? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many of the member's notifications in the workspace are unread.</summary>
    ValueTask<int> CountUnreadNotificationsAsync(WorkspaceId workspaceId, StaffId recipient, CancellationToken cancellationToken = default);
}
