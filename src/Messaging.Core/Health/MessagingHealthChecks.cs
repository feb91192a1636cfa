using Messaging.Outbox;
using Messaging.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Messaging.Health;

/// <summary>The store answers a read (a key lookup that finds nothing). Unhealthy when it throws or times out.</summary>
internal sealed class StoreHealthCheck(IMessagingStore store) : IHealthCheck
{
    private static readonly OrganisationId Probe = new("health-check-probe");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetOrganisationAsync(Probe, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The store answered.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: a driver's message may carry a host name or a connection detail.
            return new HealthCheckResult(context.Registration.FailureStatus, $"The store did not answer ({e.GetType().Name}).",
                data: new Dictionary<string, object> { ["error.type"] = e.GetType().FullName! });
        }
    }
}

/// <summary>The outbox backlog and the age of its oldest due entry, against <see cref="MessagingHealthCheckOptions"/>.</summary>
internal sealed class OutboxHealthCheck(IMessagingStore store, IClock clock, IOptions<MessagingHealthCheckOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store is not IOutboxBacklogReader reader)
        {
            return HealthCheckResult.Healthy("This store does not measure the outbox backlog (it does not implement IOutboxBacklogReader).");
        }

        var now = clock.GetCurrentInstant();
        var backlog = await reader.GetOutboxBacklogAsync(now, cancellationToken).ConfigureAwait(false);
        var age = backlog.OldestAge(now).ToTimeSpan();
        var limits = options.Value;
        var data = new Dictionary<string, object> { ["due"] = backlog.Due, ["oldest_due_age_seconds"] = Math.Round(age.TotalSeconds, 1) };
        var description = $"{backlog.Due} due outbox entries; the oldest has waited {age.TotalSeconds:0.#} s.";
        if (backlog.Due >= limits.BacklogUnhealthy || age >= limits.OldestDueUnhealthy)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, description, data: data);
        }

        return backlog.Due >= limits.BacklogDegraded || age >= limits.OldestDueDegraded
            ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data);
    }
}

/// <summary>The background dispatcher completed a round recently (its heartbeat), where it runs in this instance.</summary>
internal sealed class DispatcherHealthCheck(
    DispatcherHeartbeat heartbeat,
    IClock clock,
    IOptions<OutboxOptions> outbox,
    IOptions<MessagingHealthCheckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!outbox.Value.RunInBackground)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The dispatcher does not run in this instance (Messaging:Outbox:RunInBackground is off)."));
        }

        var degradedAfter = options.Value.DispatcherDegradedAfter
            ?? TimeSpan.FromTicks(Math.Max(outbox.Value.PollInterval.Ticks * 3, outbox.Value.Lease.Ticks));
        var unhealthyAfter = options.Value.DispatcherUnhealthyAfter ?? degradedAfter * 2;
        var now = clock.GetCurrentInstant();
        var last = heartbeat.Last;
        var since = (now - (last ?? heartbeat.Started)).ToTimeSpan();
        var data = new Dictionary<string, object> { ["seconds_since_last_round"] = Math.Round(since.TotalSeconds, 1) };
        var description = last is null
            ? $"The dispatcher has completed no round in the {since.TotalSeconds:0.#} s since this instance started."
            : $"The dispatcher last completed a round {since.TotalSeconds:0.#} s ago.";
        var result = since >= unhealthyAfter ? new HealthCheckResult(context.Registration.FailureStatus, description, data: data)
            : since >= degradedAfter ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data);
        return Task.FromResult(result);
    }
}
