using NodaTime;

namespace Messaging.Health;

/// <summary>
/// When this instance's background dispatcher last completed a round (R34): beaten by the hosted service after every
/// round that did not fail, read by the dispatcher health check. A round that throws (the store down, say) does not beat.
/// </summary>
internal sealed class DispatcherHeartbeat(IClock clock)
{
    private long _lastTicks = long.MinValue;

    /// <summary>When the heartbeat was created: the start of this instance, as far as the check is concerned.</summary>
    public Instant Started { get; } = clock.GetCurrentInstant();

    /// <summary>The last completed round, or <see langword="null"/> before the first.</summary>
    public Instant? Last => Interlocked.Read(ref _lastTicks) is var ticks && ticks == long.MinValue ? null : Instant.FromUnixTimeTicks(ticks);

    public void Beat() => Interlocked.Exchange(ref _lastTicks, clock.GetCurrentInstant().ToUnixTimeTicks());
}
