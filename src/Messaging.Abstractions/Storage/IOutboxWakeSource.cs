namespace Messaging.Storage;

/// <summary>
/// An optional capability of a store that several app instances share: it tells this instance's outbox dispatcher when
/// any instance committed a unit of work that added an outbox entry, so the dispatcher need not wait for its next poll
/// (R29). The EF Core store implements it on PostgreSQL with <c>LISTEN/NOTIFY</c>. The dispatcher keeps polling
/// regardless, so a missed notification costs latency, never a message.
/// </summary>
public interface IOutboxWakeSource
{
    /// <summary>
    /// Listens until <paramref name="cancellationToken"/> is cancelled, calling <paramref name="onCommitted"/> after each
    /// commit (of any instance) that added outbox entries, and once as soon as it is listening, for commits made while it
    /// was not. Completes at once when the store has nothing to listen on (e.g. a single-instance database). Throws when
    /// the connection it listens on fails; the caller listens again after a back-off.
    /// </summary>
    /// <param name="onCommitted">Called on the listener's thread; must be quick and must not throw.</param>
    /// <param name="cancellationToken">Stops listening.</param>
    /// <returns>A task that completes when listening stopped.</returns>
    Task ListenAsync(Action onCommitted, CancellationToken cancellationToken);
}
