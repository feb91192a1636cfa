using NodaTime;

namespace Messaging.Storage.InMemory;

/// <summary>The outbox backlog (R34), read under the store's lock like any other read.</summary>
internal sealed partial class InMemoryMessagingStore : IOutboxBacklogReader
{
    public ValueTask<OutboxBacklog> GetOutboxBacklogAsync(Instant now, CancellationToken cancellationToken = default)
        => Read(() =>
        {
            var due = 0;
            Instant? oldest = null;
            foreach (var entry in _outbox.Values)
            {
                if (entry.NextAttemptAt <= now)
                {
                    due++;
                    oldest = oldest is { } o && o <= entry.NextAttemptAt ? o : entry.NextAttemptAt;
                }
            }

            return new OutboxBacklog(due, oldest);
        });
}
