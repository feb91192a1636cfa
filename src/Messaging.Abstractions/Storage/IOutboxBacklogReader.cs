using NodaTime;

namespace Messaging.Storage;

/// <summary>
/// An optional capability of a store: how much of the outbox is due and how long the oldest due entry has waited, in
/// one cheap read, for health checks and metrics (R34). The in-memory and EF Core stores implement it; a store that does
/// not simply leaves the backlog unmeasured. The store conformance kit tests it where a store implements it.
/// </summary>
public interface IOutboxBacklogReader
{
    /// <summary>The entries due at <paramref name="now"/> (their next attempt at or before it, leased or not: none has gone yet).</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count of due entries and the earliest next-attempt time among them.</returns>
    ValueTask<OutboxBacklog> GetOutboxBacklogAsync(Instant now, CancellationToken cancellationToken = default);
}

/// <summary>The due part of the outbox at one moment.</summary>
/// <param name="Due">Entries whose next attempt is due (waiting or in flight).</param>
/// <param name="OldestDueAt">The earliest next-attempt time among them; <see langword="null"/> when none is due.</param>
public readonly record struct OutboxBacklog(int Due, Instant? OldestDueAt)
{
    /// <summary>How long the oldest due entry has waited at <paramref name="now"/>; zero when none is due.</summary>
    /// <param name="now">The moment the backlog was read.</param>
    public Duration OldestAge(Instant now) => OldestDueAt is { } at && at < now ? now - at : Duration.Zero;
}
