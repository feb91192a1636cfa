namespace Messaging.Storage.InMemory;

internal sealed partial class InMemoryMessagingStore
{
    private readonly Dictionary<NotificationId, Notification> _notifications = [];
    private readonly Dictionary<(WorkspaceId, StaffId), SortedSet<NotificationCursor>> _notificationsByRecipient = [];
    private readonly Dictionary<AttachmentId, Attachment> _attachments = [];
    private readonly Dictionary<string, AttachmentLink> _attachmentLinks = new(StringComparer.Ordinal);

    /// <summary>Newest first, ties broken by id descending: the order <see cref="INotificationReader.ListNotificationsAsync"/> promises.</summary>
    private static readonly Comparer<NotificationCursor> NewestFirst = Comparer<NotificationCursor>.Create(
        (a, b) => a.CreatedAt != b.CreatedAt ? b.CreatedAt.CompareTo(a.CreatedAt) : b.Id.Value.CompareTo(a.Id.Value));

    public ValueTask<Notification?> GetNotificationAsync(NotificationId notificationId, CancellationToken cancellationToken = default)
        => Read(() => _notifications.GetValueOrDefault(notificationId));

    public ValueTask<IReadOnlyList<Notification>> ListNotificationsAsync(
        WorkspaceId workspaceId, StaffId recipient, bool unreadOnly, NotificationCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read<IReadOnlyList<Notification>>(() =>
        {
            if (!_notificationsByRecipient.TryGetValue((workspaceId, recipient), out var index))
            {
                return [];
            }

            var page = new List<Notification>(Math.Min(limit, index.Count));
            foreach (var key in index)
            {
                if (after is { } start && NewestFirst.Compare(key, start) <= 0)
                {
                    continue;
                }

                var notification = _notifications[key.Id];
                if (unreadOnly && !notification.IsUnread)
                {
                    continue;
                }

                page.Add(notification);
                if (page.Count == limit)
                {
                    break;
                }
            }

            return page;
        });
    }

    public ValueTask<int> CountUnreadNotificationsAsync(WorkspaceId workspaceId, StaffId recipient, CancellationToken cancellationToken = default)
        => Read(() => _notificationsByRecipient.TryGetValue((workspaceId, recipient), out var index)
            ? index.Count(key => _notifications[key.Id].IsUnread)
            : 0);

    public ValueTask<Attachment?> GetAttachmentAsync(AttachmentId attachmentId, CancellationToken cancellationToken = default)
        => Read(() => _attachments.GetValueOrDefault(attachmentId));

    public ValueTask<AttachmentLink?> FindAttachmentLinkAsync(string tokenHash, CancellationToken cancellationToken = default)
        => Read(() => _attachmentLinks.GetValueOrDefault(tokenHash));

    private Action ApplyAddNotification(Notification notification)
    {
        var undoInsert = Insert(_notifications, notification.Id, notification, "Notification");
        var key = (notification.WorkspaceId, notification.Recipient);
        if (!_notificationsByRecipient.TryGetValue(key, out var index))
        {
            _notificationsByRecipient[key] = index = new SortedSet<NotificationCursor>(NewestFirst);
        }

        var cursor = new NotificationCursor(notification.CreatedAt, notification.Id);
        index.Add(cursor);
        return () =>
        {
            index.Remove(cursor);
            undoInsert();
        };
    }

    private Action ApplyMarkNotificationRead(NotificationId notificationId, NodaTime.Instant readAt)
        => _notifications.GetValueOrDefault(notificationId) is { IsUnread: true } unread
            ? Put(_notifications, notificationId, unread with { ReadAt = readAt })
            : () => { };

    private Action ApplyAddAttachmentLink(AttachmentLink link)
    {
        if (_attachmentLinks.GetValueOrDefault(link.TokenHash) is { } existing)
        {
            // A retry of the message adds its link again: nothing changes (R29). The same hash for another attachment is a clash.
            return existing.MessageId == link.MessageId && existing.AttachmentId == link.AttachmentId
                ? () => { }
                : throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, "Attachment link already exists.");
        }

        return Insert(_attachmentLinks, link.TokenHash, link, "Attachment link");
    }
}
