using Messaging.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Outbox;

/// <summary>
/// Runs the outbox dispatcher in the background while the host runs (R20, R29). After a round that found work it runs
/// another at once; after an empty one it sleeps until the earliest of: a send committing (<see cref="OutboxSignal"/>,
/// pulsed locally and, when the store is an <see cref="IOutboxWakeSource"/>, by other instances), a retry this instance
/// scheduled falling due, or <see cref="OutboxOptions.PollInterval"/> — the fallback, which also finds other instances'
/// retries and lapsed leases. An idle instance therefore makes one claim per poll interval, as before.
/// </summary>
internal sealed class OutboxDispatcherService(
    IOutboxDispatcher dispatcher,
    OutboxSignal signal,
    IMessagingStore store,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    Health.DispatcherHeartbeat heartbeat,
    ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    /// <summary>The first wait before listening again after the wake-up connection failed; it doubles up to <see cref="MaxListenBackoff"/>.</summary>
    internal static readonly TimeSpan FirstListenBackoff = TimeSpan.FromSeconds(1);

    internal static readonly TimeSpan MaxListenBackoff = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }

        var listening = store is IOutboxWakeSource source ? ListenAsync(source, stoppingToken) : Task.CompletedTask;
        try
        {
            await DispatchLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var processed = 0;
            try
            {
                signal.BeginRound();
                processed = await dispatcher.DispatchDueAsync(stoppingToken).ConfigureAwait(false);
                heartbeat.Beat();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.DispatchRoundFailed(logger, e);
            }

            if (processed == 0)
            {
                try
                {
                    while (!await signal.WaitAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false))
                    {
                        // A retry was scheduled while asleep (a host dispatching by hand): sleep again, until the new earliest time.
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Listens for other instances' commits until the host stops, listening again with back-off when the connection fails.</summary>
    private async Task ListenAsync(IOutboxWakeSource source, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var backoff = FirstListenBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            var heard = false;
            try
            {
                await source.ListenAsync(
                    () =>
                    {
                        heard = true;
                        signal.Committed();
                    },
                    stoppingToken).ConfigureAwait(false);
                return; // nothing to listen on, or stopped
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                backoff = heard ? FirstListenBackoff : backoff; // it was listening: the connection dropped, not refused
                Log.OutboxListenFailed(logger, e, backoff);
            }

            try
            {
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(MaxListenBackoff.Ticks, backoff.Ticks * 2));
        }
    }
}
