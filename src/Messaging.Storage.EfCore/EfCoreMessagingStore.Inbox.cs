using System.Text;
using Microsoft.EntityFrameworkCore;
using static Messaging.Storage.EfCore.Model.RowMapping;

namespace Messaging.Storage.EfCore;

internal sealed partial class EfCoreMessagingStore
{
    // The unread rule of R7 in SQL: a read position marked unread, or behind the conversation's activity; no read
    // position at all means unread once anything happened. The read position is one primary-key probe per row.
    private const string UnreadExpression =
        "(CASE WHEN r.conversation_id IS NULL THEN c.activity_sequence > 0 ELSE (r.marked_unread OR r.read_up_to < c.activity_sequence) END)";

    private const string ConversationColumns =
        "c.id, c.organisation_id, c.workspace_id, c.patient_id, c.started_by, c.assignee_kind, c.assignee_id, c.status, c.subject, "
        + "c.participants, c.created_at, c.last_activity_at, c.activity_sequence, c.version";

    public ValueTask<Conversation?> GetConversationAsync(ConversationId conversationId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<IReadOnlyList<Conversation>> ListPatientConversationsAsync(
        WorkspaceId workspaceId, PatientId patientId, StaffId? participant, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<Conversation>>(async db =>
        {
            var conversations = db.Conversations.AsNoTracking().Where(c => c.WorkspaceId == workspaceId.Value && c.PatientId == patientId.Value);
            if (participant is { } staff)
            {
                conversations = conversations.Where(c => db.Participants.Any(p => p.ConversationId == c.Id && p.StaffId == staff.Value));
            }

            var rows = await conversations.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });

    /// <summary>
    /// One keyset page (R7). The view picks the index: <c>conversations</c> by assignee, or by workspace for "all", or
    /// <c>conversation_participants</c> for "sent by"; each ends in <c>(last_activity_at, id)</c>, so the page is read
    /// backwards from the cursor (a row-value comparison the index answers) and stops after one row more than the page.
    /// </summary>
    public ValueTask<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        return ReadAsync(async db =>
        {
            var parameters = new List<object>();
            var sql = new StringBuilder("SELECT ").Append(ConversationColumns).Append(", ").Append(UnreadExpression).Append(" AS is_unread ");
            AppendView(sql, parameters, query.WorkspaceId, query.View, query.Reader, query.Status, out var sortTime, out var sortId);
            if (query.After is { } after)
            {
                sql.Append(" AND (").Append(sortTime).Append(", ").Append(sortId).Append(") < (").Append(Parameter(parameters, ToUtc(after.LastActivityAt)))
                    .Append(", ").Append(Parameter(parameters, after.ConversationId.Value)).Append(')');
            }

            if (query.UnreadOnly)
            {
                sql.Append(" AND ").Append(UnreadExpression);
            }

            sql.Append(" ORDER BY ").Append(sortTime).Append(" DESC, ").Append(sortId).Append(" DESC LIMIT ").Append(Parameter(parameters, query.PageSize + 1));
            var rows = await db.InboxRows.FromSqlRaw(sql.ToString(), [.. parameters]).ToListAsync(cancellationToken).ConfigureAwait(false);

            var items = rows.Take(query.PageSize).Select(ToItem).ToList();
            InboxCursor? next = rows.Count > query.PageSize ? new InboxCursor(items[^1].Conversation.LastActivityAt, items[^1].Conversation.Id) : null;
            return new InboxPage(items, next);
        });
    }

    public ValueTask<int> CountUnreadAsync(WorkspaceId workspaceId, InboxView view, StaffId reader, CancellationToken cancellationToken = default)
        => ReadAsync(async db =>
        {
            var parameters = new List<object>();
            var sql = new StringBuilder("SELECT COUNT(*) AS \"Value\" ");
            AppendView(sql, parameters, workspaceId, view, reader, ConversationStatusFilter.Any, out _, out _);
            sql.Append(" AND ").Append(UnreadExpression);
            return (await db.Database.SqlQueryRaw<int>(sql.ToString(), [.. parameters]).ToListAsync(cancellationToken).ConfigureAwait(false)).Single();
        });

    public ValueTask<IReadOnlyList<Assignment>> ListAssignmentsAsync(ConversationId conversationId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<Assignment>>(async db =>
        {
            var rows = await db.Assignments.AsNoTracking().Where(a => a.ConversationId == conversationId.Value).OrderBy(a => a.Sequence).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });

    public ValueTask<ReadPosition?> GetReadPositionAsync(ConversationId conversationId, StaffId staffId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.ReadPositions.AsNoTracking()
            .FirstOrDefaultAsync(r => r.ConversationId == conversationId.Value && r.StaffId == staffId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    /// <summary>FROM, joins and WHERE for a view and status filter; says which columns the view's index sorts on.</summary>
    private static void AppendView(
        StringBuilder sql, List<object> parameters, WorkspaceId workspaceId, InboxView view, StaffId reader, ConversationStatusFilter status,
        out string sortTime, out string sortId)
    {
        var workspace = Parameter(parameters, workspaceId.Value);
        var readPositions = $" LEFT JOIN read_positions r ON r.conversation_id = c.id AND r.staff_id = {Parameter(parameters, reader.Value)}";
        string filtered;
        if (view.Kind == InboxViewKind.SentBy)
        {
            sql.Append("FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id").Append(readPositions)
                .Append(" WHERE p.workspace_id = ").Append(workspace).Append(" AND p.staff_id = ").Append(Parameter(parameters, view.Id!));
            (filtered, sortTime, sortId) = ("p", "p.last_activity_at", "p.conversation_id");
        }
        else
        {
            sql.Append("FROM conversations c").Append(readPositions).Append(" WHERE c.workspace_id = ").Append(workspace);
            if (view.Kind is InboxViewKind.AssignedToStaff or InboxViewKind.AssignedToTeam)
            {
                var kind = view.Kind == InboxViewKind.AssignedToTeam ? AssigneeKind.Team : AssigneeKind.Staff;
                sql.Append(" AND c.assignee_kind = ").Append(Parameter(parameters, kind.ToString()))
                    .Append(" AND c.assignee_id = ").Append(Parameter(parameters, view.Id!));
            }

            (filtered, sortTime, sortId) = ("c", "c.last_activity_at", "c.id");
        }

        if (status != ConversationStatusFilter.Any)
        {
            var wanted = status == ConversationStatusFilter.Done ? ConversationStatus.Done : ConversationStatus.Open;
            sql.Append(" AND ").Append(filtered).Append(".status = ").Append(Parameter(parameters, wanted.ToString()));
        }
    }

    private static string Parameter(List<object> parameters, object value)
    {
        parameters.Add(value);
        return $"{{{parameters.Count - 1}}}";
    }
}
