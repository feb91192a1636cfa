using Messaging.Storage.EfCore.Model;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Messaging.Storage.EfCore.Model.RowMapping;

namespace Messaging.Storage.EfCore;

/// <summary>
/// Stages writes and applies them in one database transaction at <see cref="CommitAsync"/>: all, or none when a
/// precondition fails. Nothing touches the database before the commit.
/// </summary>
/// <remarks>
/// <para>Plain inserts and version-checked updates go through the change tracker and are sent together by
/// <c>SaveChanges</c> (one batch on PostgreSQL). Writes whose precondition is a row count — a credit charge that must
/// not overdraw, an outbox entry the owner must still hold, a reply token that must still be active — and upserts
/// run as single conditional statements in the order they were staged; tracked rows of a table are saved first
/// whenever such a statement reads that table.</para>
/// <para>The transaction is SQLite's <c>BEGIN IMMEDIATE</c> (one writer at a time, so a unit never fails to upgrade a read
/// lock) and PostgreSQL's READ COMMITTED, where every precondition is enforced by the statement or constraint that
/// writes it, not by an earlier read.</para>
/// </remarks>
internal sealed class EfCoreUnitOfWork(MessagingDbContextFactory contexts) : IMessagingUnitOfWork
{
    private readonly List<Func<MessagingDbContext, CancellationToken, Task>> _writes = [];
    private bool _done;
    private bool _addsOutboxEntries;

    // Append-only rows (R15 ledger, R19 audit): nothing in a unit reads them back, so they are written at commit, after the
    // tracked rows they may refer to, with one multi-row INSERT per table instead of one tracked insert (and RETURNING) each.
    private readonly List<CreditEntryRow> _ledger = [];
    private readonly List<AuditEventRow> _audit = [];

    public void AddOrganisation(Organisation organisation) => Add(ToRow(organisation));

    public void AddWorkspace(Workspace workspace) => Add(ToRow(workspace));

    public void UpsertMember(WorkspaceMember member)
    {
        var row = ToRow(member);
        Stage((db, ct) => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO workspace_members (workspace_id, staff_id, email, display_name, role, added_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5}) "
            + "ON CONFLICT (workspace_id, staff_id) DO UPDATE SET email = excluded.email, display_name = excluded.display_name, role = excluded.role, added_at = excluded.added_at",
            [row.WorkspaceId, row.StaffId, row.Email, row.DisplayName, row.Role.ToString(), row.AddedAt], ct));
    }

    public void RemoveMember(WorkspaceId workspaceId, StaffId staffId) => Stage(async (db, ct) =>
    {
        await FlushAsync(db, ct).ConfigureAwait(false);
        await db.TeamMembers.Where(m => m.WorkspaceId == workspaceId.Value && m.StaffId == staffId.Value).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        await db.Members.Where(m => m.WorkspaceId == workspaceId.Value && m.StaffId == staffId.Value).ExecuteDeleteAsync(ct).ConfigureAwait(false);
    });

    public void AddTeam(Team team) => Add(ToRow(team));

    public void UpdateTeam(Team team)
    {
        var row = ToRow(team);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO teams (workspace_id, id, name, created_at) VALUES ({0}, {1}, {2}, {3}) "
                + "ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, created_at = excluded.created_at",
                [row.WorkspaceId, row.Id, row.Name, row.CreatedAt], ct).ConfigureAwait(false);
            await db.TeamMembers.Where(m => m.WorkspaceId == row.WorkspaceId && m.TeamId == row.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            db.TeamMembers.AddRange(row.Members);
        });
    }

    public void UpsertPatient(Patient patient)
    {
        var row = ToRow(patient);
        Stage((db, ct) => db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO patients (organisation_id, id, nhs_number, date_of_birth, given_name, family_name, mobile, email, updated_at)
            VALUES ({row.OrganisationId}, {row.Id}, {row.NhsNumber}, {row.DateOfBirth}, {row.GivenName}, {row.FamilyName}, {row.Mobile}, {row.Email}, {row.UpdatedAt})
            ON CONFLICT (organisation_id, id) DO UPDATE SET nhs_number = excluded.nhs_number, date_of_birth = excluded.date_of_birth,
            given_name = excluded.given_name, family_name = excluded.family_name, mobile = excluded.mobile, email = excluded.email, updated_at = excluded.updated_at
            """,
            ct));
    }

    public void AddConversation(Conversation conversation)
    {
        var row = ToRow(conversation);
        Add(row, [.. ParticipantsOf(row)]);
    }

    public void UpdateConversation(Conversation conversation, long expectedVersion)
    {
        if (conversation.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated conversation must carry version {expectedVersion + 1}, not {conversation.Version}.");
        }

        var row = ToRow(conversation);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);

            // The version-guarded update alone, without reading the row first: a writer that got in since the caller's read
            // makes it match nothing. Only then is it worth one more statement to tell "gone" from "changed".
            var updated = await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE conversations SET organisation_id = {row.OrganisationId}, workspace_id = {row.WorkspaceId}, patient_id = {row.PatientId},
                started_by = {row.StartedBy}, assignee_kind = {row.AssigneeKind.ToString()}, assignee_id = {row.AssigneeId}, status = {row.Status.ToString()},
                subject = {row.Subject}, participants = {row.Participants}, created_at = {row.CreatedAt}, last_activity_at = {row.LastActivityAt},
                activity_sequence = {row.ActivitySequence}, version = {row.Version}
                WHERE id = {row.Id} AND version = {expectedVersion}
                """,
                ct).ConfigureAwait(false);
            if (updated == 0)
            {
                throw await db.Conversations.AnyAsync(c => c.Id == row.Id, ct).ConfigureAwait(false)
                    ? StoreErrors.Changed("Conversation", row.Id, expectedVersion)
                    : StoreErrors.ConversationNotFound(row.Id);
            }

            // The "sent by" index rows follow the conversation's status, activity and participants: upsert the wanted, drop the rest.
            await SyncConversationParticipantsAsync(db, row, ct).ConfigureAwait(false);
        });
    }

    /// <summary>Upserts the wanted participant rows and deletes the others, in one command.</summary>
    private static Task SyncConversationParticipantsAsync(MessagingDbContext db, ConversationRow row, CancellationToken ct)
    {
        var wanted = ParticipantsOf(row).ToList();
        var values = new List<object?> { row.Id };
        var keep = new System.Text.StringBuilder();
        var sql = new System.Text.StringBuilder();
        if (wanted.Count > 0)
        {
            sql.Append("INSERT INTO conversation_participants (conversation_id, staff_id, workspace_id, status, last_activity_at) VALUES ");
            foreach (var p in wanted)
            {
                var at = values.Count;
                sql.Append(at == 1 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"({{0}}, {{{at}}}, {{{at + 1}}}, {{{at + 2}}}, {{{at + 3}}})");
                keep.Append(keep.Length == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"{{{at}}}");
                values.AddRange([p.StaffId, p.WorkspaceId, p.Status.ToString(), p.LastActivityAt]);
            }

            sql.Append(" ON CONFLICT (conversation_id, staff_id) DO UPDATE SET workspace_id = excluded.workspace_id, status = excluded.status, last_activity_at = excluded.last_activity_at; ");
        }

        sql.Append("DELETE FROM conversation_participants WHERE conversation_id = {0}");
        if (keep.Length > 0)
        {
            sql.Append(" AND staff_id NOT IN (").Append(keep).Append(')');
        }

        return db.Database.ExecuteSqlRawAsync(sql.ToString(), values!, ct);
    }

    public void AddAssignment(Assignment assignment)
    {
        var row = ToRow(assignment);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            var recorded = await db.Assignments.CountAsync(a => a.ConversationId == row.ConversationId, ct).ConfigureAwait(false);
            if (row.Sequence != recorded + 1)
            {
                throw new MessagingConflictException(
                    MessagingErrorCodes.ConcurrencyConflict,
                    $"Assignment {row.Sequence} of conversation '{row.ConversationId:N}' was already recorded; read the conversation again and retry.");
            }

            db.Assignments.Add(row); // the primary key (conversation, sequence) stops a concurrent twin
        });
    }

    public void SetReadPosition(ReadPosition position) => Stage((db, ct) => db.Database.ExecuteSqlRawAsync(
        "INSERT INTO read_positions (conversation_id, staff_id, read_up_to, marked_unread) VALUES ({0}, {1}, {2}, {3}) "
        + "ON CONFLICT (conversation_id, staff_id) DO UPDATE SET read_up_to = excluded.read_up_to, marked_unread = excluded.marked_unread",
        [position.ConversationId.Value, position.StaffId.Value, position.ReadUpTo, position.MarkedUnread], ct));

    public void AddMessage(Message message) => Add(ToRow(message));

    public void UpdateMessage(Message message, long expectedVersion)
    {
        var row = ToRow(message);
        Stage(async (db, ct) =>
        {
            await FlushIfTrackingAsync<MessageRow>(db, ct).ConfigureAwait(false);
            UpdateTracked(db, row, expectedVersion);
        });
    }

    public void AddOutboxEntry(OutboxEntry entry)
    {
        Add(ToRow(entry));
        _addsOutboxEntries = true;
    }

    public void CompleteOutboxEntry(MessageId messageId, string leaseOwner) => Stage(async (db, ct) =>
    {
        await FlushAsync(db, ct).ConfigureAwait(false);
        var removed = await db.Outbox.Where(o => o.MessageId == messageId.Value && o.LeaseOwner == leaseOwner).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (removed == 0)
        {
            throw StoreErrors.LeaseLost(messageId.Value, leaseOwner);
        }
    });

    public void RenewOutboxLease(MessageId messageId, string leaseOwner, Instant now, Instant leaseExpiresAt)
    {
        var at = ToUtc(now);
        var until = ToUtc(leaseExpiresAt);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            var renewed = await db.Outbox.Where(o => o.MessageId == messageId.Value && o.LeaseOwner == leaseOwner && o.LeaseExpiresAt > at)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseExpiresAt, (DateTime?)until), ct).ConfigureAwait(false);
            if (renewed == 0)
            {
                throw StoreErrors.LeaseLost(messageId.Value, leaseOwner);
            }
        });
    }

    public void RescheduleOutboxEntry(MessageId messageId, string leaseOwner, int attempts, Instant nextAttemptAt)
    {
        var next = ToUtc(nextAttemptAt);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            var released = await db.Outbox.Where(o => o.MessageId == messageId.Value && o.LeaseOwner == leaseOwner)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(o => o.Attempts, attempts).SetProperty(o => o.NextAttemptAt, next)
                        .SetProperty(o => o.LeaseOwner, (string?)null).SetProperty(o => o.LeaseExpiresAt, (DateTime?)null),
                    ct).ConfigureAwait(false);
            if (released == 0)
            {
                throw StoreErrors.LeaseLost(messageId.Value, leaseOwner);
            }
        });
    }

    /// <summary>
    /// Moves the organisation's running balance in one conditional statement — a charge only where it stays at or
    /// above zero — so concurrent charges queue on the balance row and never overdraw (R15); then appends the entry.
    /// </summary>
    public void AppendCreditEntry(CreditLedgerEntry entry)
    {
        var row = ToRow(entry);
        Stage(async (db, ct) =>
        {
            if (row.Amount >= 0)
            {
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO credit_balances (organisation_id, balance) VALUES ({0}, {1}) "
                    + "ON CONFLICT (organisation_id) DO UPDATE SET balance = credit_balances.balance + excluded.balance",
                    [row.OrganisationId, row.Amount], ct).ConfigureAwait(false);
            }
            else
            {
                var charged = await db.Database.ExecuteSqlRawAsync(
                    "UPDATE credit_balances SET balance = balance + {1} WHERE organisation_id = {0} AND balance + {1} >= 0", [row.OrganisationId, row.Amount], ct).ConfigureAwait(false);
                if (charged == 0)
                {
                    var balance = await db.CreditBalances.Where(b => b.OrganisationId == row.OrganisationId).Select(b => b.Balance).FirstOrDefaultAsync(ct).ConfigureAwait(false);
                    throw StoreErrors.InsufficientCredits(row.OrganisationId, balance, -row.Amount);
                }
            }

            // Our update holds the balance row (a row lock on PostgreSQL, the write transaction on SQLite) until commit,
            // so this is exactly the balance after this entry; the row itself goes in the one multi-row INSERT at commit.
            row.BalanceAfter = await db.CreditBalances.Where(b => b.OrganisationId == row.OrganisationId).Select(b => b.Balance).FirstAsync(ct).ConfigureAwait(false);
            _ledger.Add(row);
        });
    }

    public void IssueReplyToken(ReplyToken token)
    {
        var row = ToRow(token);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);

            // A retry of the message issues its token again: nothing changes (R29). The same hash for another message is a clash.
            var existing = await db.ReplyTokens.AsNoTracking().Where(t => t.TokenHash == row.TokenHash)
                .Select(t => new { t.MessageId, t.ConversationId }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (existing is not null)
            {
                if (existing.MessageId == row.MessageId && existing.ConversationId == row.ConversationId)
                {
                    return;
                }

                throw StoreErrors.AlreadyExists("Reply token");
            }

            if (row.State == ReplyTokenState.Active)
            {
                await db.ReplyTokens.Where(t => t.ConversationId == row.ConversationId && t.State == ReplyTokenState.Active)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, ReplyTokenState.Superseded), ct).ConfigureAwait(false);
            }

            db.ReplyTokens.Add(row);
        });
    }

    public void ActivateReplyToken(string tokenHash) => Stage(async (db, ct) =>
    {
        await FlushAsync(db, ct).ConfigureAwait(false);
        var mine = await db.ReplyTokens.AsNoTracking().Where(t => t.TokenHash == tokenHash)
            .Select(t => new { t.ConversationId, t.IssuedAt, t.State }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (mine is not { State: ReplyTokenState.Pending })
        {
            return;
        }

        // Under READ COMMITTED a concurrent activation in the same conversation is invisible until it commits; the unique
        // index on the active token then rejects the second one. Undo just this try (a savepoint: the transaction stays
        // usable) and decide again on the committed state, so the newest token wins and the message's unit of work, which
        // records a send the provider already accepted, does not fail.
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("A unit of work runs in a transaction.");
        for (var race = 1; ; race++)
        {
            await transaction.CreateSavepointAsync(ActivationSavepoint, ct).ConfigureAwait(false);
            try
            {
                await ActivateOnceAsync(db, tokenHash, mine.ConversationId, mine.IssuedAt, ct).ConfigureAwait(false);
                await transaction.ReleaseSavepointAsync(ActivationSavepoint, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (StoreErrors.IsOneActiveReplyTokenViolation(e) && race < MaxActivationRaces)
            {
                await transaction.RollbackToSavepointAsync(ActivationSavepoint, ct).ConfigureAwait(false);
            }
        }
    });

    public void RevokeReplyToken(string tokenHash) => Stage(async (db, ct) =>
    {
        await FlushAsync(db, ct).ConfigureAwait(false);
        await db.ReplyTokens.Where(t => t.TokenHash == tokenHash && t.State == ReplyTokenState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, ReplyTokenState.Revoked), ct).ConfigureAwait(false);
    });

    private const string ActivationSavepoint = "activate_reply_token";
    private const int MaxActivationRaces = 10;

    /// <summary>
    /// One try at activating a pending token (R29): newest wins. If a newer token of the conversation is active, this one
    /// is superseded; else the older active ones are superseded and this one becomes active.
    /// </summary>
    private static async Task ActivateOnceAsync(MessagingDbContext db, string hash, Guid conversationId, DateTime issuedAt, CancellationToken ct)
    {
        var newerIsActive = await db.ReplyTokens.AnyAsync(
            t => t.ConversationId == conversationId && t.State == ReplyTokenState.Active && t.TokenHash != hash
                 && (t.IssuedAt > issuedAt || (t.IssuedAt == issuedAt && string.Compare(t.TokenHash, hash) > 0)),
            ct).ConfigureAwait(false);
        if (newerIsActive)
        {
            await db.ReplyTokens.Where(t => t.TokenHash == hash && t.State == ReplyTokenState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, ReplyTokenState.Superseded), ct).ConfigureAwait(false);
            return;
        }

        await SupersedeOlderAsync(db, hash, conversationId, issuedAt, ct).ConfigureAwait(false);
        await db.ReplyTokens.Where(t => t.TokenHash == hash && t.State == ReplyTokenState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, ReplyTokenState.Active), ct).ConfigureAwait(false);
    }

    /// <summary>Supersedes the conversation's active tokens issued before the given one (by time, then hash).</summary>
    private static Task<int> SupersedeOlderAsync(MessagingDbContext db, string hash, Guid conversationId, DateTime issuedAt, CancellationToken ct)
        => db.ReplyTokens
            .Where(t => t.ConversationId == conversationId && t.State == ReplyTokenState.Active && t.TokenHash != hash
                        && (t.IssuedAt < issuedAt || (t.IssuedAt == issuedAt && string.Compare(t.TokenHash, hash) < 0)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, ReplyTokenState.Superseded), ct);

    public void SpendReplyToken(string tokenHash, Instant usedAt)
    {
        var at = ToUtc(usedAt);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            var spent = await db.ReplyTokens.Where(t => t.TokenHash == tokenHash && (t.State == ReplyTokenState.Active || t.State == ReplyTokenState.Pending))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, ReplyTokenState.Used).SetProperty(t => t.UsedAt, at), ct).ConfigureAwait(false);
            if (spent == 0)
            {
                throw StoreErrors.ReplyTokenSpent();
            }

            // A reply through a pending token shows its message reached the patient: older links are superseded (R12, R29).
            var mine = await db.ReplyTokens.AsNoTracking().Where(t => t.TokenHash == tokenHash)
                .Select(t => new { t.ConversationId, t.IssuedAt }).FirstAsync(ct).ConfigureAwait(false);
            await SupersedeOlderAsync(db, tokenHash, mine.ConversationId, mine.IssuedAt, ct).ConfigureAwait(false);
        });
    }

    public void SetOptOut(OptOutState state) => Stage((db, ct) => db.Database.ExecuteSqlRawAsync(
        "INSERT INTO sms_opt_outs (organisation_id, number, opted_out, changed_at, source) VALUES ({0}, {1}, {2}, {3}, {4}) "
        + "ON CONFLICT (organisation_id, number) DO UPDATE SET opted_out = excluded.opted_out, changed_at = excluded.changed_at, source = excluded.source",
        [state.OrganisationId.Value, state.Number.Value, state.OptedOut, ToUtc(state.ChangedAt), state.Source], ct));

    public void AddNotification(Notification notification) => Add(ToRow(notification));

    public void MarkNotificationRead(NotificationId notificationId, Instant readAt)
    {
        var at = ToUtc(readAt);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            await db.Notifications.Where(n => n.Id == notificationId.Value && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, at), ct).ConfigureAwait(false);
        });
    }

    public void AddAttachment(Attachment attachment) => Add(ToRow(attachment));

    public void AddAttachmentLink(AttachmentLink link)
    {
        var row = ToRow(link);
        Stage(async (db, ct) =>
        {
            await FlushIfTrackingAsync<AttachmentLinkRow>(db, ct).ConfigureAwait(false);

            // A retry of the message adds its link again: nothing changes (R29). The same hash for another attachment is a clash.
            var existing = await db.AttachmentLinks.AsNoTracking().Where(l => l.TokenHash == row.TokenHash)
                .Select(l => new { l.MessageId, l.AttachmentId }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (existing is null)
            {
                db.AttachmentLinks.Add(row);
            }
            else if (existing.MessageId != row.MessageId || existing.AttachmentId != row.AttachmentId)
            {
                throw StoreErrors.AlreadyExists("Attachment link");
            }
        });
    }

    public void AppendAudit(AuditEvent auditEvent)
    {
        var row = ToRow(auditEvent);
        Stage((_, _) =>
        {
            _audit.Add(row);
            return Task.CompletedTask;
        });
    }

    public void AddDirectMessage(DirectMessage directMessage) => Add(ToRow(directMessage));

    public void UpdateDirectMessage(DirectMessage directMessage, long expectedVersion)
    {
        if (directMessage.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated Direct Message must carry version {expectedVersion + 1}, not {directMessage.Version}.");
        }

        var row = ToRow(directMessage);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            var stored = await db.DirectMessages.AsNoTracking().Where(d => d.Id == row.Id).Select(d => (long?)d.Version).FirstOrDefaultAsync(ct).ConfigureAwait(false)
                ?? throw new MessagingNotFoundException(MessagingErrorCodes.DirectMessageNotFound, $"Direct Message '{row.Id:N}' was not found.");
            if (stored != expectedVersion)
            {
                throw StoreErrors.Changed("Direct Message", row.Id, expectedVersion);
            }

            UpdateTracked(db, row, expectedVersion);
        });
    }

    public void AddInternalThread(InternalThread thread)
    {
        var row = ToRow(thread);
        Add(row, [.. ParticipantsOf(row)]);
    }

    public void UpdateInternalThread(InternalThread thread, long expectedVersion)
    {
        if (thread.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated internal thread must carry version {expectedVersion + 1}, not {thread.Version}.");
        }

        var row = ToRow(thread);
        Stage(async (db, ct) =>
        {
            await FlushAsync(db, ct).ConfigureAwait(false);
            var stored = await db.InternalThreads.AsNoTracking().Where(t => t.Id == row.Id)
                .Select(t => new { t.Version, t.Participants }).FirstOrDefaultAsync(ct).ConfigureAwait(false)
                ?? throw new MessagingNotFoundException(MessagingErrorCodes.InternalThreadNotFound, $"Internal thread '{row.Id:N}' was not found.");
            if (stored.Version != expectedVersion)
            {
                throw StoreErrors.Changed("Internal thread", row.Id, expectedVersion);
            }

            UpdateTracked(db, row, expectedVersion);
            SyncParticipants(db, stored.Participants, ParticipantsOf(row), p => p.StaffId, staff => new InternalThreadParticipantRow { ThreadId = row.Id, StaffId = staff });
        });
    }

    public void AddInternalMessage(InternalMessage message) => Add(ToRow(message));

    /// <summary>The name rule of R16 is the partial unique indexes of <c>message_templates</c>, checked by the insert itself.</summary>
    public void AddTemplate(MessageTemplate template) => Add(ToRow(template));

    public void UpdateTemplate(MessageTemplate template, long expectedVersion)
    {
        if (template.Version != expectedVersion + 1)
        {
            throw new InvalidOperationException($"An updated template must carry version {expectedVersion + 1}, not {template.Version}.");
        }

        var row = ToRow(template);
        Stage(async (db, ct) =>
        {
            var stored = await CurrentTemplateAsync(db, row.Id, expectedVersion, ct).ConfigureAwait(false);
            if (stored.WorkspaceId != row.WorkspaceId || stored.Owner != row.Owner || stored.CreatedAt != row.CreatedAt)
            {
                throw new InvalidOperationException("A template's workspace, owner and creation time never change.");
            }

            UpdateTracked(db, row, expectedVersion);
        });
    }

    public void DeleteTemplate(TemplateId templateId, long expectedVersion) => Stage(async (db, ct) =>
    {
        await CurrentTemplateAsync(db, templateId.Value, expectedVersion, ct).ConfigureAwait(false);
        var deleted = await db.Templates.Where(t => t.Id == templateId.Value && t.Version == expectedVersion).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (deleted == 0)
        {
            throw StoreErrors.Changed("Template", templateId.Value, expectedVersion);
        }
    });

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        using var turn = await contexts.EnterWriterAsync(cancellationToken).ConfigureAwait(false);
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            // Every write sets its entry's state itself, so scanning tracked rows for changes would only cost time; and a
            // failure rolls the whole transaction back, so SaveChanges needs no savepoint of its own (a round trip each).
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Database.AutoSavepointsEnabled = false;
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    foreach (var write in _writes)
                    {
                        await write(db, cancellationToken).ConfigureAwait(false);
                    }

                    await FlushAsync(db, cancellationToken).ConfigureAwait(false);
                    await AppendRowsAsync(db, cancellationToken).ConfigureAwait(false);
                    if (_addsOutboxEntries && contexts.IsPostgres)
                    {
                        // Delivered to the other instances' listeners only when (and if) this transaction commits (R29).
                        await db.Database.ExecuteSqlRawAsync(EfCoreMessagingStore.NotifySql, cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DbUpdateConcurrencyException e)
                {
                    throw await ExplainStaleAsync(e, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (StoreErrors.Translate(e) is { } translated)
                {
                    throw translated;
                }
            }
        }
    }

    /// <summary>The staged ledger and audit rows, in staging order: one multi-row INSERT per table, sent as one command.</summary>
    private Task AppendRowsAsync(MessagingDbContext db, CancellationToken ct)
    {
        if (_ledger.Count == 0 && _audit.Count == 0)
        {
            return Task.CompletedTask;
        }

        var values = new List<object?>((_ledger.Count * 8) + (_audit.Count * 10));
        var sql = new System.Text.StringBuilder();
        if (_ledger.Count > 0)
        {
            sql.Append("INSERT INTO credit_ledger (id, organisation_id, kind, amount, message_id, at, reference, balance_after) VALUES ");
            foreach (var r in _ledger)
            {
                var at = values.Count;
                sql.Append(at == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"({{{at}}}, {{{at + 1}}}, {{{at + 2}}}, {{{at + 3}}}, {{{at + 4}}}, {{{at + 5}}}, {{{at + 6}}}, {{{at + 7}}})");
                values.AddRange([r.Id, r.OrganisationId, r.Kind.ToString(), r.Amount, r.MessageId, r.At, r.Reference, r.BalanceAfter]);
            }

            sql.Append("; ");
        }

        if (_audit.Count > 0)
        {
            var first = true;
            var details = contexts.IsPostgres ? "CAST({{{0}}} AS jsonb)" : "{{{0}}}";
            sql.Append("INSERT INTO audit_events (id, occurred_at, organisation_id, workspace_id, actor_kind, actor_id, action, patient_id, target_id, details) VALUES ");
            foreach (var r in _audit)
            {
                var at = values.Count;
                sql.Append(first ? "" : ", ")
                    .Append(System.Globalization.CultureInfo.InvariantCulture, $"({{{at}}}, {{{at + 1}}}, {{{at + 2}}}, {{{at + 3}}}, {{{at + 4}}}, {{{at + 5}}}, {{{at + 6}}}, {{{at + 7}}}, {{{at + 8}}}, ")
                    .Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, details, at + 9)).Append(')');
                values.AddRange([r.Id, r.OccurredAt, r.OrganisationId, r.WorkspaceId, r.ActorKind.ToString(), r.ActorId, r.Action, r.PatientId, r.TargetId, r.Details]);
                first = false;
            }
        }

        return db.Database.ExecuteSqlRawAsync(sql.ToString(), values!, ct);
    }

    public ValueTask DisposeAsync()
    {
        _done = true;
        _writes.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends the tracked rows so far (inside the transaction), so a following statement sees them, and forgets them,
    /// so a later write may track a row with the same key.
    /// </summary>
    private static async Task FlushAsync(MessagingDbContext db, CancellationToken cancellationToken)
    {
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>Flushes first when rows of this table are already tracked, so a second row with the same key meets the database's constraint.</summary>
    private static Task FlushIfTrackingAsync<TRow>(MessagingDbContext db, CancellationToken cancellationToken)
        where TRow : class
        => db.ChangeTracker.Entries<TRow>().Any() ? FlushAsync(db, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Tracks a whole-row update guarded by the row's version: <c>UPDATE ... WHERE id = @id AND version = @expected</c>,
    /// so a writer that got in since any earlier read makes it match nothing and the commit fail.
    /// </summary>
    private static void UpdateTracked<TRow>(MessagingDbContext db, TRow row, long expectedVersion)
        where TRow : class
    {
        db.Attach(row);
        var entry = db.Entry(row);
        entry.State = EntityState.Modified;
        entry.Property("Version").OriginalValue = expectedVersion;
    }

    /// <summary>Makes a participant index table match a record's participants: updates the ones kept, adds the new, removes the gone.</summary>
    private static void SyncParticipants<TRow>(MessagingDbContext db, string storedParticipants, IEnumerable<TRow> wanted, Func<TRow, string> staffOf, Func<string, TRow> key)
        where TRow : class
    {
        var before = ReadParticipants(storedParticipants).ToHashSet(StringComparer.Ordinal);
        foreach (var participant in wanted)
        {
            if (before.Remove(staffOf(participant)))
            {
                db.Update(participant);
            }
            else
            {
                db.Add(participant);
            }
        }

        foreach (var gone in before)
        {
            db.Remove(key(gone));
        }
    }

    /// <summary>The stored template's identity columns, if it exists at the expected version.</summary>
    private static async Task<TemplateRow> CurrentTemplateAsync(MessagingDbContext db, Guid id, long expectedVersion, CancellationToken cancellationToken)
    {
        await FlushAsync(db, cancellationToken).ConfigureAwait(false);
        var stored = await db.Templates.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new TemplateRow { Id = t.Id, WorkspaceId = t.WorkspaceId, Owner = t.Owner, CreatedAt = t.CreatedAt, Version = t.Version })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw StoreErrors.TemplateNotFound(id);
        return stored.Version == expectedVersion ? stored : throw StoreErrors.Changed("Template", id, expectedVersion);
    }

    /// <summary>A version-checked update matched no row: the record is gone, or someone updated it first.</summary>
    private async Task<MessagingException> ExplainStaleAsync(DbUpdateConcurrencyException e, CancellationToken cancellationToken)
    {
        var entry = e.Entries.FirstOrDefault();
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            switch (entry?.Entity)
            {
                case MessageRow message:
                    var expected = (long)entry.Property(nameof(MessageRow.Version)).OriginalValue!;
                    return await db.Messages.AnyAsync(m => m.Id == message.Id, cancellationToken).ConfigureAwait(false)
                        ? StoreErrors.Changed("Message", message.Id, expected)
                        : StoreErrors.MessageNotFound(message.Id);
                case DirectMessageRow direct:
                    return StoreErrors.Changed("Direct Message", direct.Id, (long)entry.Property(nameof(DirectMessageRow.Version)).OriginalValue!);
                case InternalThreadRow thread:
                    return StoreErrors.Changed("Internal thread", thread.Id, (long)entry.Property(nameof(InternalThreadRow.Version)).OriginalValue!);
                case TemplateRow template:
                    return StoreErrors.Changed("Template", template.Id, (long)entry.Property(nameof(TemplateRow.Version)).OriginalValue!);
                case ConversationRow conversation:
                    return StoreErrors.Changed("Conversation", conversation.Id, (long)entry.Property(nameof(ConversationRow.Version)).OriginalValue!);
                default:
                    return new MessagingConflictException(MessagingErrorCodes.ConcurrencyConflict, "A row changed since it was read; read it again and retry.");
            }
        }
    }

    /// <summary>An insert through the change tracker (with rows of other tables that belong to it): sent with the next flush.</summary>
    private void Add<TRow>(TRow row, params object[] belonging)
        where TRow : class
        => Stage(async (db, ct) =>
        {
            await FlushIfTrackingAsync<TRow>(db, ct).ConfigureAwait(false);
            db.Add(row);
            db.AddRange(belonging);
        });

    private void Stage(Func<MessagingDbContext, CancellationToken, Task> write)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _writes.Add(write);
    }
}
