using Microsoft.EntityFrameworkCore;
using static Messaging.Storage.EfCore.Model.RowMapping;

namespace Messaging.Storage.EfCore;

internal sealed partial class EfCoreMessagingStore
{
    public ValueTask<Notification?> GetNotificationAsync(NotificationId notificationId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == notificationId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    /// <summary>A keyset page from <c>ix_notifications_recipient</c>: newest first, strictly after the cursor.</summary>
    public ValueTask<IReadOnlyList<Notification>> ListNotificationsAsync(
        WorkspaceId workspaceId, StaffId recipient, bool unreadOnly, NotificationCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<Notification>>(async db =>
        {
            var parameters = new List<object> { workspaceId.Value, recipient.Value };
            var sql = "SELECT * FROM notifications n WHERE n.workspace_id = {0} AND n.recipient = {1}";
            if (unreadOnly)
            {
                sql += " AND n.read_at IS NULL";
            }

            if (after is { } cursor)
            {
                parameters.Add(ToUtc(cursor.CreatedAt));
                parameters.Add(cursor.Id.Value);
                sql += " AND (n.created_at, n.id) < ({2}, {3})";
            }

            parameters.Add(limit);
            sql += $" ORDER BY n.created_at DESC, n.id DESC LIMIT {{{parameters.Count - 1}}}";
            var rows = await db.Notifications.FromSqlRaw(sql, [.. parameters]).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });
    }

    public ValueTask<int> CountUnreadNotificationsAsync(WorkspaceId workspaceId, StaffId recipient, CancellationToken cancellationToken = default)
        => ReadAsync(db => db.Notifications.CountAsync(n => n.WorkspaceId == workspaceId.Value && n.Recipient == recipient.Value && n.ReadAt == null, cancellationToken));

    public ValueTask<Attachment?> GetAttachmentAsync(AttachmentId attachmentId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<AttachmentLink?> FindAttachmentLinkAsync(string tokenHash, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.AttachmentLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == tokenHash, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<MessageTemplate?> GetTemplateAsync(TemplateId templateId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    /// <summary>The workspace's shared templates and the owner's personal ones, sorted here in ordinal order whatever the database's collation.</summary>
    public ValueTask<IReadOnlyList<MessageTemplate>> ListTemplatesAsync(WorkspaceId workspaceId, StaffId owner, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<MessageTemplate>>(async db =>
        {
            var rows = await db.Templates.AsNoTracking().Where(t => t.WorkspaceId == workspaceId.Value && (t.IsShared || t.Owner == owner.Value))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(t => t.NameKey, StringComparer.Ordinal).ThenBy(t => t.IsShared).ThenBy(t => t.Id).Select(ToRecord)];
        });
}
