using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Messaging.Storage.EfCore.Model.RowMapping;

namespace Messaging.Storage.EfCore;

internal sealed partial class EfCoreMessagingStore
{
    /// <summary>
    /// Claims due entries in one statement: it picks the oldest due entries whose lease is absent or lapsed and leases
    /// them to <paramref name="owner"/>. On PostgreSQL the pick locks its rows <c>FOR UPDATE SKIP LOCKED</c>, so
    /// instances claiming at once each take different rows without waiting on each other; a row another claimer just
    /// leased is re-checked after its lock and skipped. On SQLite the statement runs under the database's single
    /// writer lock. Either way an entry goes to one claimer only, and one whose lease lapsed (its instance died) is
    /// claimable again.
    /// </summary>
    public ValueTask<IReadOnlyList<OutboxEntry>> ClaimOutboxAsync(string owner, Instant now, Duration lease, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var lockRows = Contexts.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql =
            "UPDATE outbox SET lease_owner = {0}, lease_expires_at = {1} WHERE message_id IN ("
            + "SELECT message_id FROM outbox WHERE next_attempt_at <= {2} AND (lease_expires_at IS NULL OR lease_expires_at <= {2}) "
            + "ORDER BY next_attempt_at, message_id LIMIT {3}" + lockRows + ") "
            + "RETURNING message_id, attempts, next_attempt_at, lease_owner, lease_expires_at";
        return ReadAsync<IReadOnlyList<OutboxEntry>>(async db =>
        {
            using var turn = await Contexts.EnterWriterAsync(cancellationToken).ConfigureAwait(false); // the claim writes
            var rows = await db.Outbox.FromSqlRaw(sql, owner, ToUtc(now + lease), ToUtc(now), maxCount).AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(r => r.NextAttemptAt).ThenBy(r => r.MessageId).Select(ToRecord)];
        });
    }
}
