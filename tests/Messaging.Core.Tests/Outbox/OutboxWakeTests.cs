using System.Collections.Concurrent;
using Messaging.Outbox;
using Messaging.Testing.Fakes;
using Messaging.Tests.DirectMessages;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Outbox;

/// <summary>
/// Issue 16 (R29): the background dispatcher is woken when a send commits and when its own retry falls due, not by its
/// poll. Every test sets the poll to an hour, so on polling alone each would wait an hour; the guard below only turns
/// such a hang into a failure and says nothing about speed.
/// </summary>
public sealed class OutboxWakeTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_patient_message_reaches_the_provider_without_waiting_for_the_poll()
    {
        var calls = new ProviderCalls();
        var rounds = new Rounds();
        await using var world = await CreateAsync(configure: s => Wire(s, calls, rounds));
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        await using var running = await StartHostedServicesAsync(world);
        await rounds.EmptyAsync(1).WaitAsync(HangGuard); // the loop found nothing and is going to sleep for an hour

        var message = await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hello" });

        await calls.WaitForAsync(1).WaitAsync(HangGuard);
        world.Sms.Accepted.Should().ContainSingle().Which.IdempotencyKey.Should().Be(message.Id.ToString());
    }

    [Fact]
    public async Task A_direct_message_and_its_resent_code_reach_the_providers_without_waiting_for_the_poll()
    {
        var calls = new ProviderCalls();
        var rounds = new Rounds();
        await using var world = await DirectMessageWorld.DmWorldAsync(register: s => Wire(s, calls, rounds));
        await using var running = await StartHostedServicesAsync(world);
        await rounds.EmptyAsync(1).WaitAsync(HangGuard);

        var dm = await world.DirectMessages().SendAsync(Bob, DirectMessageWorld.Request());
        await calls.WaitForAsync(2).WaitAsync(HangGuard); // its email and its SMS leg
        await rounds.EmptyAsync(2).WaitAsync(HangGuard); // asleep again
        await world.DirectMessages().ResendCodeAsync(Bob, dm.Id);
        await calls.WaitForAsync(3).WaitAsync(HangGuard); // the resent code's SMS

        world.Email.Accepted.Should().ContainSingle();
        world.Sms.Accepted.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_retry_is_taken_when_it_falls_due_without_waiting_for_the_poll()
    {
        // The loop sleeps on TimeProvider; the fake one moves only when told, in step with the fake clock, so nothing but
        // the retry's due time can end the sleep (the hour-long poll never fires: fake time moves 30 minutes at most).
        var calls = new ProviderCalls();
        var rounds = new Rounds();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await CreateAsync(configure: s =>
        {
            Wire(s, calls, rounds);
            s.AddSingleton<TimeProvider>(time);
            s.Configure<OutboxOptions>(o => o.BaseRetryDelay = TimeSpan.FromMinutes(5)); // the retry is due 2.5 to 5 minutes later
        });
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        world.Sms.FailTransiently(1);
        await using var running = await StartHostedServicesAsync(world);
        await rounds.EmptyAsync(1).WaitAsync(HangGuard);

        await world.Messages.SendAsync(Bob, new SendMessageRequest { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Hello" });
        await calls.WaitForAsync(1).WaitAsync(HangGuard); // the first attempt fails transiently and is rescheduled
        await rounds.EmptyAsync(2).WaitAsync(HangGuard); // the retry is not due yet: the loop goes to sleep
        world.Sms.Calls.Should().Be(1);

        // Fake time moves in one-minute steps, both sources together, for at most 30 minutes (half the poll). Steps, not one
        // jump: the loop may read the clock just before a step and start its timer just after it, and a later step then
        // fires that timer. The real pause between steps only paces them; nothing is asserted about it.
        var retried = calls.WaitForAsync(2);
        for (var minute = 0; minute < 30 && !retried.IsCompleted; minute++)
        {
            world.Clock.Advance(NodaTime.Duration.FromMinutes(1));
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(retried, Task.Delay(200));
        }

        await retried.WaitAsync(HangGuard);
        world.Sms.Calls.Should().Be(2);
        world.Sms.Accepted.Should().ContainSingle();
    }

    private static void Wire(IServiceCollection services, ProviderCalls calls, Rounds rounds)
    {
        services.Replace(ServiceDescriptor.Singleton<IOutboxDispatcher>(sp => new ObservedDispatcher(ActivatorUtilities.CreateInstance<OutboxDispatcher>(sp), rounds)));
        services.Configure<OutboxOptions>(o => o.PollInterval = TimeSpan.FromHours(1));
        services.Replace(ServiceDescriptor.Singleton<ISmsProvider>(sp => new CountingSms(sp.GetRequiredService<FakeSmsProvider>(), calls)));
        services.Replace(ServiceDescriptor.Singleton<IEmailProvider>(sp => new CountingEmail(sp.GetRequiredService<FakeEmailProvider>(), calls)));
    }

    /// <summary>Starts the SDK's hosted services as the generic host does, and stops them when disposed.</summary>
    private static async Task<IAsyncDisposable> StartHostedServicesAsync(TestWorld world)
    {
        var hosted = world.Services.GetServices<IHostedService>().ToArray();
        hosted.Should().Contain(h => h.GetType().Name == "OutboxDispatcherService");
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new Stopper(hosted);
    }

    private sealed class Stopper(IHostedService[] services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var service in services.Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The real dispatcher, reporting each round's outcome, so a test knows when the loop found nothing and sleeps.</summary>
    private sealed class ObservedDispatcher(OutboxDispatcher inner, Rounds rounds) : IOutboxDispatcher
    {
        public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
        {
            var processed = await inner.DispatchDueAsync(cancellationToken);
            if (processed == 0)
            {
                rounds.Empty();
            }

            return processed;
        }
    }

    /// <summary>Counts the loop's empty rounds and lets a test await the n-th.</summary>
    private sealed class Rounds
    {
        private readonly ProviderCalls _empty = new();

        public void Empty() => _empty.Called();

        public Task EmptyAsync(int n) => _empty.WaitForAsync(n);
    }

    /// <summary>Counts provider calls (accepted or not) and lets a test await the n-th.</summary>
    private sealed class ProviderCalls
    {
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _waits = new();
        private int _count;

        public void Called()
        {
            var n = Interlocked.Increment(ref _count);
            for (var i = 1; i <= n; i++)
            {
                Wait(i).TrySetResult();
            }
        }

        public Task WaitForAsync(int n) => Wait(n).Task;

        private TaskCompletionSource Wait(int n) => _waits.GetOrAdd(n, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private sealed class CountingSms(FakeSmsProvider inner, ProviderCalls calls) : ISmsProvider
    {
        public string Name => inner.Name;

        public async Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
        {
            var result = await inner.SendAsync(request, cancellationToken);
            calls.Called();
            return result;
        }
    }

    private sealed class CountingEmail(FakeEmailProvider inner, ProviderCalls calls) : IEmailProvider
    {
        public string Name => inner.Name;

        public async Task<ProviderSendResult> SendAsync(EmailSendRequest request, CancellationToken cancellationToken = default)
        {
            var result = await inner.SendAsync(request, cancellationToken);
            calls.Called();
            return result;
        }
    }
}
