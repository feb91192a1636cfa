using Messaging.Health;
using Messaging.Outbox;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Health;

/// <summary>
/// R34: the SDK's health checks flip to degraded and then unhealthy on the outbox backlog, the age of its oldest due
/// entry and a stopped dispatcher, and carry no patient data. (The store check against a stopped database is in the EF
/// store's tests; the stores' backlog reads are in the conformance kit.)
/// </summary>
public sealed class HealthCheckTests
{
    private static Action<IServiceCollection> Checks(Action<MessagingHealthCheckOptions> thresholds, bool dispatch = false) => services =>
    {
        services.Configure<OutboxOptions>(o => o.RunInBackground = dispatch);
        services.AddHealthChecks().AddPatientMessagingChecks(thresholds);
    };

    private static async Task<HealthReportEntry> CheckAsync(TestWorld world, string name)
        => (await world.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == name)).Entries[name];

    private static Task QueueEmailsAsync(TestWorld world, int count) => Task.WhenAll(Enumerable.Range(0, count).Select(i =>
        world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Email, PatientId = Jane, Subject = "Results", Body = $"Message {i}" })));

    [Fact]
    public async Task Every_check_is_healthy_on_a_quiet_instance()
    {
        await using var world = await CreateAsync(configure: Checks(_ => { }));

        var report = await world.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries.Keys.Should().BeEquivalentTo("messaging-store", "messaging-outbox", "messaging-dispatcher");
        report.Status.Should().Be(HealthStatus.Healthy);
        report.Entries.Values.Should().OnlyContain(e => e.Tags.Contains(PatientMessagingHealthChecksBuilderExtensions.Tag));
    }

    [Fact]
    public async Task The_outbox_check_turns_degraded_then_unhealthy_as_the_backlog_grows()
    {
        await using var world = await CreateAsync(configure: Checks(o => { o.BacklogDegraded = 2; o.BacklogUnhealthy = 4; o.OldestDueDegraded = TimeSpan.FromDays(1); o.OldestDueUnhealthy = TimeSpan.FromDays(2); }));

        await QueueEmailsAsync(world, 1);
        var one = await CheckAsync(world, "messaging-outbox");
        await QueueEmailsAsync(world, 2);
        var three = await CheckAsync(world, "messaging-outbox");
        await QueueEmailsAsync(world, 2);
        var five = await CheckAsync(world, "messaging-outbox");
        await world.Dispatcher.DispatchDueAsync();
        var drained = await CheckAsync(world, "messaging-outbox");

        one.Status.Should().Be(HealthStatus.Healthy);
        three.Status.Should().Be(HealthStatus.Degraded);
        three.Data["due"].Should().Be(3);
        five.Status.Should().Be(HealthStatus.Unhealthy);
        drained.Status.Should().Be(HealthStatus.Healthy);
        drained.Data["due"].Should().Be(0);
    }

    [Fact]
    public async Task The_outbox_check_turns_degraded_then_unhealthy_as_the_oldest_due_entry_ages()
    {
        await using var world = await CreateAsync(configure: Checks(o => { o.OldestDueDegraded = TimeSpan.FromMinutes(5); o.OldestDueUnhealthy = TimeSpan.FromMinutes(30); }));
        await QueueEmailsAsync(world, 1);

        var fresh = await CheckAsync(world, "messaging-outbox");
        world.Clock.Advance(Duration.FromMinutes(6));
        var waiting = await CheckAsync(world, "messaging-outbox");
        world.Clock.Advance(Duration.FromMinutes(30));
        var stuck = await CheckAsync(world, "messaging-outbox");

        fresh.Status.Should().Be(HealthStatus.Healthy);
        waiting.Status.Should().Be(HealthStatus.Degraded);
        stuck.Status.Should().Be(HealthStatus.Unhealthy);
        ((double)stuck.Data["oldest_due_age_seconds"]).Should().BeGreaterThan(36 * 60);
    }

    [Fact]
    public async Task The_dispatcher_check_turns_degraded_then_unhealthy_once_the_dispatcher_stops()
    {
        await using var world = await CreateAsync(configure: Checks(o => { o.DispatcherDegradedAfter = TimeSpan.FromMinutes(5); o.DispatcherUnhealthyAfter = TimeSpan.FromMinutes(15); }, dispatch: true));
        var hosted = world.Services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var heartbeat = world.Services.GetRequiredService<DispatcherHeartbeat>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (heartbeat.Last is null && DateTime.UtcNow < until)
        {
            await Task.Delay(20); // the first round, then the dispatcher waits for work
        }

        var running = await CheckAsync(world, "messaging-dispatcher");
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        world.Clock.Advance(Duration.FromMinutes(6));
        var late = await CheckAsync(world, "messaging-dispatcher");
        world.Clock.Advance(Duration.FromMinutes(10));
        var gone = await CheckAsync(world, "messaging-dispatcher");

        heartbeat.Last.Should().NotBeNull("the dispatcher completed a round");
        running.Status.Should().Be(HealthStatus.Healthy);
        late.Status.Should().Be(HealthStatus.Degraded);
        gone.Status.Should().Be(HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task No_check_result_carries_patient_data()
    {
        await using var world = await CreateAsync(configure: Checks(o => { o.BacklogDegraded = 1; o.BacklogUnhealthy = 1; }));
        await QueueEmailsAsync(world, 2);

        var report = await world.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var printed = string.Join('\n', report.Entries.Select(e => $"{e.Key} {e.Value.Description} {string.Join(',', e.Value.Data.Select(d => $"{d.Key}={d.Value}"))}"));

        report.Status.Should().Be(HealthStatus.Unhealthy);
        printed.Should().NotContainAny("jane", "Jane", "Doe", "7400", PatientNhsNumber.Replace(" ", string.Empty, StringComparison.Ordinal), "Message 0", "Results");
    }

    [Fact]
    public async Task Thresholds_out_of_order_are_refused_at_start_naming_the_setting()
    {
        await using var world = Empty(Checks(o => { o.BacklogDegraded = 10; o.BacklogUnhealthy = 5; }));

        var resolve = () => world.Services.GetRequiredService<IOptions<MessagingHealthCheckOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>().WithMessage("*Messaging:HealthChecks:BacklogUnhealthy*");
    }
}
