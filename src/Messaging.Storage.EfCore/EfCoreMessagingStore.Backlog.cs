using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Messaging.Storage.EfCore.Model.RowMapping;

namespace Messaging.Storage.EfCore;

/// <summary>
/// The outbox backlog (R34) in one round trip: a count and a minimum over the due entries, answered from the index the
/// claim query uses on the next-attempt time.
/// </summary>
internal sealed partial class EfCoreMessagingStore : IOutboxBacklogReader
{
    public ValueTask<OutboxBacklog> GetOutboxBacklogAsync(Instant now, CancellationToken cancellationToken = default)
        => ReadAsync(async db =>
        {
            var cutoff = ToUtc(now);
            var summary = await db.Outbox.AsNoTracking()
                .Where(o => o.NextAttemptAt <= cutoff)
                .GroupBy(_ => 1)
                .Select(g => new { Due = g.Count(), Oldest = g.Min(o => o.NextAttemptAt) })
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return summary is null ? new OutboxBacklog(0, null) : new OutboxBacklog(summary.Due, ToInstant(summary.Oldest));
        });
}
