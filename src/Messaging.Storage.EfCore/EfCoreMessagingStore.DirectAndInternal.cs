using System.Text;
using Microsoft.EntityFrameworkCore;
using static Messaging.Storage.EfCore.Model.RowMapping;

namespace Messaging.Storage.EfCore;

internal sealed partial class EfCoreMessagingStore
{
    public ValueTask<DirectMessage?> GetDirectMessageAsync(DirectMessageId id, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.DirectMessages.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<DirectMessage?> FindDirectMessageByLinkTokenHashAsync(string linkTokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(linkTokenHash);
        return ReadAsync(async db => await db.DirectMessages.AsNoTracking()
            .FirstOrDefaultAsync(d => d.LinkTokenHash == linkTokenHash, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);
    }

    public ValueTask<InternalThread?> GetInternalThreadAsync(ConversationId threadId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.InternalThreads.AsNoTracking().FirstOrDefaultAsync(t => t.Id == threadId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<IReadOnlyList<InternalMessage>> ListInternalMessagesAsync(ConversationId threadId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<InternalMessage>>(async db =>
        {
            var rows = await db.InternalMessages.AsNoTracking().Where(m => m.ThreadId == threadId.Value)
                .OrderBy(m => m.CreatedAt).ThenBy(m => m.Position).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });

    /// <summary>The member's threads from <c>ix_internal_thread_participants_list</c>, newest activity first.</summary>
    public ValueTask<IReadOnlyList<InternalThread>> ListInternalThreadsAsync(WorkspaceId workspaceId, StaffId participant, int limit, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<InternalThread>>(async db =>
        {
            var rows = await db.InternalThreads.FromSqlRaw(
                    "SELECT t.* FROM internal_thread_participants p JOIN internal_threads t ON t.id = p.thread_id "
                    + "WHERE p.workspace_id = {0} AND p.staff_id = {1} ORDER BY p.last_activity_at DESC, p.thread_id DESC LIMIT {2}",
                    workspaceId.Value, participant.Value, limit)
                .AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });

    public ValueTask<IReadOnlyList<InternalThread>> ListPatientInternalThreadsAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<InternalThread>>(async db =>
        {
            var rows = await db.InternalThreads.AsNoTracking().Where(t => t.OrganisationId == organisationId.Value && t.PatientId == patientId.Value)
                .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });

    /// <summary>
    /// One keyset page of a patient's history (R25) from <c>ix_messages_patient_history</c>, newest first; with a viewer,
    /// only messages of conversations they take part in or that are assigned to them or one of their teams.
    /// </summary>
    public ValueTask<PatientHistoryPage> QueryPatientHistoryAsync(PatientHistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        return ReadAsync(async db =>
        {
            var parameters = new List<object>();
            var sql = new StringBuilder("SELECT m.* FROM messages m");
            if (query.Viewer is not null)
            {
                sql.Append(" JOIN conversations c ON c.id = m.conversation_id");
            }

            sql.Append(" WHERE m.workspace_id = ").Append(Parameter(parameters, query.WorkspaceId.Value))
                .Append(" AND m.patient_id = ").Append(Parameter(parameters, query.PatientId.Value));
            if (query.After is { } after)
            {
                sql.Append(" AND (m.created_at, m.id) < (").Append(Parameter(parameters, ToUtc(after.CreatedAt))).Append(", ")
                    .Append(Parameter(parameters, after.MessageId.Value)).Append(')');
            }

            if (query.Viewer is { } viewer)
            {
                var staff = Parameter(parameters, viewer.StaffId.Value);
                sql.Append(" AND (EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = c.id AND p.staff_id = ").Append(staff).Append(')')
                    .Append(" OR (c.assignee_kind = ").Append(Parameter(parameters, nameof(AssigneeKind.Staff))).Append(" AND c.assignee_id = ").Append(staff).Append(')');
                if (viewer.Teams.Count > 0)
                {
                    sql.Append(" OR (c.assignee_kind = ").Append(Parameter(parameters, nameof(AssigneeKind.Team))).Append(" AND c.assignee_id IN (")
                        .AppendJoin(", ", viewer.Teams.Select(t => Parameter(parameters, t.Value))).Append("))");
                }

                sql.Append(')');
            }

            sql.Append(" ORDER BY m.created_at DESC, m.id DESC LIMIT ").Append(Parameter(parameters, query.PageSize + 1));
            var rows = await db.Messages.FromSqlRaw(sql.ToString(), [.. parameters]).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            var messages = rows.Take(query.PageSize).Select(ToRecord).ToList();
            PatientHistoryCursor? next = rows.Count > query.PageSize ? new PatientHistoryCursor(messages[^1].CreatedAt, messages[^1].Id) : null;
            return new PatientHistoryPage(messages, next);
        });
    }
}
