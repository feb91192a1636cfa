using NodaTime;

namespace Messaging.Outbox;

/// <summary>
/// Wakes this instance's outbox dispatcher loop (R29) instead of leaving work to the next poll:
/// <list type="bullet">
/// <item><description><see cref="Committed"/> — a unit of work that added outbox entries has committed (called by the send
/// paths only after their commit returned, so the claim that follows sees the entries), or another instance said so
/// through the store's <see cref="Storage.IOutboxWakeSource"/>;</description></item>
/// <item><description><see cref="RetryAt"/> — the dispatcher rescheduled an entry, so the loop wakes when the earliest such
/// retry is due. Only this instance's retries are remembered; another instance's are found by its own loop, or by the
/// fallback poll if that instance died.</description></item>
/// </list>
/// The loop sleeps on <see cref="TimeProvider"/> (due times are read from the injected <see cref="IClock"/>), so a test can
/// drive both from one fake time source.
/// </summary>
internal sealed class OutboxSignal(IClock clock, TimeProvider time)
{
    /// <summary>Retry times remembered at most; beyond that the fallback poll picks the rest up.</summary>
    internal const int MaxRememberedRetries = 10_000;

    private readonly Lock _lock = new();
    private readonly PriorityQueue<Instant, Instant> _retries = new();
    private TaskCompletionSource _committed = NewPulse();
    private TaskCompletionSource _rescheduled = NewPulse();

    /// <summary>Outbox entries were committed: the loop runs a round now, or right after the one it is in.</summary>
    public void Committed() => Volatile.Read(ref _committed).TrySetResult();

    /// <summary>This instance rescheduled an entry for <paramref name="nextAttemptAt"/>: the loop wakes then.</summary>
    public void RetryAt(Instant nextAttemptAt)
    {
        lock (_lock)
        {
            if (_retries.Count < MaxRememberedRetries)
            {
                _retries.Enqueue(nextAttemptAt, nextAttemptAt);
            }
        }

        // A round in progress sees the new time when it next sleeps; a loop already asleep recomputes its sleep.
        Volatile.Read(ref _rescheduled).TrySetResult();
    }

    /// <summary>
    /// Called just before a round's claim: forgets the wake-ups that claim will cover (commits signalled so far, retries
    /// due by now). A commit signalled after this point makes the next <see cref="WaitAsync"/> return at once.
    /// </summary>
    public void BeginRound()
    {
        if (Volatile.Read(ref _committed).Task.IsCompleted)
        {
            Interlocked.Exchange(ref _committed, NewPulse());
        }

        var now = clock.GetCurrentInstant();
        lock (_lock)
        {
            while (_retries.TryPeek(out _, out var due) && due <= now)
            {
                _retries.Dequeue();
            }
        }
    }

    /// <summary>
    /// Sleeps until the earliest of: a commit signalled since <see cref="BeginRound"/>, the earliest remembered retry
    /// falling due, or <paramref name="fallback"/> (the poll). Returns early, without a round being due, when a retry
    /// is scheduled while asleep, so the caller should recompute; it then just sleeps again.
    /// </summary>
    /// <returns>Whether the caller should run a round (false: a retry was scheduled, sleep again).</returns>
    public async Task<bool> WaitAsync(TimeSpan fallback, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _rescheduled).Task.IsCompleted)
        {
            Interlocked.Exchange(ref _rescheduled, NewPulse());
        }

        var committed = Volatile.Read(ref _committed).Task;
        var rescheduled = Volatile.Read(ref _rescheduled).Task;
        var delay = fallback;
        lock (_lock)
        {
            if (_retries.TryPeek(out _, out var due))
            {
                var untilDue = (due - clock.GetCurrentInstant()).ToTimeSpan();
                delay = untilDue < delay ? untilDue : delay;
            }
        }

        if (committed.IsCompleted || delay <= TimeSpan.Zero)
        {
            return true;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(delay, time, stop.Token);
        var woken = await Task.WhenAny(committed, rescheduled, timer).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return woken != rescheduled || committed.IsCompleted;
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
