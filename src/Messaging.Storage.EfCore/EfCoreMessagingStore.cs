using Messaging.Storage.EfCore.Model;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Messaging.Storage.EfCore.Model.RowMapping;

namespace Messaging.Storage.EfCore;

/// <summary>
/// <see cref="IMessagingStore"/> over EF Core, on SQLite or PostgreSQL. Every read uses a pooled context of its own
/// without change tracking; every write goes through <see cref="EfCoreUnitOfWork"/>, one database transaction per
/// commit. Thread-safe: register as a singleton.
/// </summary>
internal sealed partial class EfCoreMessagingStore(MessagingDbContextFactory contexts) : IMessagingStore
{
    internal MessagingDbContextFactory Contexts { get; } = contexts;

    public ValueTask<IMessagingUnitOfWork> BeginAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IMessagingUnitOfWork>(new EfCoreUnitOfWork(Contexts));
    }

    // ---- Workspaces and patients --------------------------------------------------------------------------------

    public ValueTask<Organisation?> GetOrganisationAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organisationId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<Workspace?> GetWorkspaceAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<WorkspaceMember?> GetMemberAsync(WorkspaceId workspaceId, StaffId staffId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Members.AsNoTracking()
            .FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId.Value && m.StaffId == staffId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<IReadOnlyList<WorkspaceMember>> ListMembershipsAsync(StaffId staffId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<WorkspaceMember>>(async db =>
        {
            var rows = await db.Members.AsNoTracking().Where(m => m.StaffId == staffId.Value).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(m => m.WorkspaceId, StringComparer.Ordinal).Select(ToRecord)];
        });

    public ValueTask<IReadOnlyList<WorkspaceMember>> ListMembersAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<WorkspaceMember>>(async db =>
        {
            var rows = await db.Members.AsNoTracking().Where(m => m.WorkspaceId == workspaceId.Value).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(m => m.StaffId, StringComparer.Ordinal).Select(ToRecord)];
        });

    public ValueTask<Team?> GetTeamAsync(WorkspaceId workspaceId, TeamId teamId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Teams.AsNoTracking().Include(t => t.Members)
            .FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId.Value && t.Id == teamId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<IReadOnlyList<Team>> ListTeamsAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<Team>>(async db =>
        {
            var rows = await db.Teams.AsNoTracking().Include(t => t.Members).Where(t => t.WorkspaceId == workspaceId.Value).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(t => t.Id, StringComparer.Ordinal).Select(ToRecord)];
        });

    public ValueTask<Patient?> GetPatientAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Patients.AsNoTracking()
            .FirstOrDefaultAsync(p => p.OrganisationId == organisationId.Value && p.Id == patientId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<Patient?> FindPatientByNhsNumberAsync(OrganisationId organisationId, NhsNumber nhsNumber, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Patients.AsNoTracking()
            .FirstOrDefaultAsync(p => p.OrganisationId == organisationId.Value && p.NhsNumber == nhsNumber.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    // ---- Messages, opt-outs, tokens, credits, audit -------------------------------------------------------------

    public ValueTask<Message?> GetMessageAsync(MessageId messageId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == messageId.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<Message?> FindMessageByIdempotencyKeyAsync(OrganisationId organisationId, string idempotencyKey, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Messages.AsNoTracking()
            .FirstOrDefaultAsync(m => m.OrganisationId == organisationId.Value && m.IdempotencyKey == idempotencyKey, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<Message?> FindMessageByProviderIdAsync(string providerName, string providerMessageId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.Messages.AsNoTracking()
            .Where(m => m.ProviderName == providerName && m.ProviderMessageId == providerMessageId)
            .OrderByDescending(m => m.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<IReadOnlyList<Message>> ListConversationMessagesAsync(ConversationId conversationId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<Message>>(async db =>
        {
            var rows = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId.Value)
                .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });

    public ValueTask<OptOutState?> GetOptOutAsync(OrganisationId organisationId, PhoneNumber number, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.OptOuts.AsNoTracking()
            .FirstOrDefaultAsync(o => o.OrganisationId == organisationId.Value && o.Number == number.Value, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<ReplyToken?> FindReplyTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.ReplyTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken).ConfigureAwait(false) is { } row ? ToRecord(row) : null);

    public ValueTask<int> GetCreditBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => ReadAsync(db => db.CreditBalances.AsNoTracking().Where(b => b.OrganisationId == organisationId.Value).Select(b => b.Balance).FirstOrDefaultAsync(cancellationToken));

    public ValueTask<IReadOnlyList<CreditLedgerEntry>> ListCreditLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<CreditLedgerEntry>>(async db =>
        {
            var rows = await db.CreditLedger.AsNoTracking().Where(e => e.OrganisationId == organisationId.Value)
                .OrderBy(e => e.Position).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });

    public ValueTask<CreditLedgerLine?> GetCreditEntryAsync(OrganisationId organisationId, Guid entryId, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.CreditLedger.AsNoTracking()
            .FirstOrDefaultAsync(e => e.OrganisationId == organisationId.Value && e.Id == entryId, cancellationToken).ConfigureAwait(false) is { } row ? ToLine(row) : null);

    public ValueTask<CreditLedgerLine?> FindCreditPurchaseAsync(OrganisationId organisationId, string reference, CancellationToken cancellationToken = default)
        => ReadAsync(async db => await db.CreditLedger.AsNoTracking()
            .FirstOrDefaultAsync(e => e.OrganisationId == organisationId.Value && e.Kind == CreditEntryKind.Purchase && e.Reference == reference, cancellationToken)
            .ConfigureAwait(false) is { } row ? ToLine(row) : null);

    public ValueTask<CreditStatement> ReadCreditStatementAsync(
        OrganisationId organisationId, Instant from, Instant to, CreditStatementCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var org = organisationId.Value;
        var start = RowMapping.ToUtc(from);
        var end = RowMapping.ToUtc(to);
        var position = after?.Position ?? 0;
        return ReadAsync(async db =>
        {
            var ledger = db.CreditLedger.AsNoTracking().Where(e => e.OrganisationId == org);
            var opening = await ledger.Where(e => e.At < start).SumAsync(e => e.Amount, cancellationToken).ConfigureAwait(false);
            var closing = await ledger.Where(e => e.At < end).SumAsync(e => e.Amount, cancellationToken).ConfigureAwait(false);
            var rows = await ledger.Where(e => e.At >= start && e.At < end && e.Position > position)
                .OrderBy(e => e.Position).Take(limit + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
            var more = rows.Count > limit;
            if (more)
            {
                rows.RemoveAt(limit);
            }

            return new CreditStatement(organisationId, from, to, opening, [.. rows.Select(ToRecord)], closing,
                more ? new CreditStatementCursor(rows[^1].Position) : null);
        });
    }

    public ValueTask<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync<IReadOnlyList<AuditEvent>>(async db =>
        {
            var events = db.AuditEvents.AsNoTracking().Where(e => e.OrganisationId == query.OrganisationId.Value);
            if (query.PatientId is { } patient)
            {
                events = events.Where(e => e.PatientId == patient.Value);
            }

            if (query.TargetId is { } target)
            {
                events = events.Where(e => e.TargetId == target);
            }

            if (query.Action is { } action)
            {
                events = events.Where(e => e.Action == action.Value);
            }

            var rows = await events.OrderBy(e => e.Position).Take(query.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord)];
        });
    }

    /// <summary>Runs one read on a pooled context.</summary>
    private async ValueTask<T> ReadAsync<T>(Func<MessagingDbContext, Task<T>> read)
    {
        var db = Contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            return await read(db).ConfigureAwait(false);
        }
    }
}
