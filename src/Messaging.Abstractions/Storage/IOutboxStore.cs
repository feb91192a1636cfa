namespace Messaging.Storage;

/// <summary>Claiming outbox work (R20).</summary>
public interface IOutboxStore
{
    /// <summary>
    /// Claims up to <paramref name="maxCount"/> entries that are due (<see cref="OutboxEntry.NextAttemptAt"/> at or before
    /// <paramref name="now"/>) and not held under an unexpired lease, leasing them to <paramref name="owner"/> until
    /// <paramref name="now"/> + <paramref name="lease"/>. Safe when several dispatcher instances claim at once: an entry
    /// is handed to one of them only. An entry whose lease lapsed (its instance died) is claimable again.
    /// </summary>
    ValueTask<IReadOnlyList<OutboxEntry>> ClaimOutboxAsync(string owner, NodaTime.Instant now, NodaTime.Duration lease, int maxCount, CancellationToken cancellationToken = default);
}
