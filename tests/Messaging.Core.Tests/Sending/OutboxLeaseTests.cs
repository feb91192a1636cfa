using System.Reflection;
using System.Runtime.ExceptionServices;
using Messaging.Outbox;
using Messaging.Storage;
using Messaging.Storage.InMemory;
using Messaging.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Testing;
using Messaging.Tests.Support;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Sending;

/// <summary>
/// Issue 16 (R29): a provider call is made only under this instance's unexpired lease, and one entry's failure never
/// touches another. Two "instances" are two dispatchers on one store; time is a still fake clock (leases) and a fake
/// time provider (the provider-call cut-off), both moved only by the test. Blocked calls wait on signals, never on time.
/// </summary>
public sealed class OutboxLeaseTests
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 23, 9, 0));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_provider_call_that_outlives_the_lease_is_cut_off_so_the_instance_that_takes_over_sends_the_message_once()
    {
        // Lease 5 s, BatchSize 2, MaxConcurrency 1; instance A's first call blocks.
        await using var world = await WorldAsync(o =>
        {
            o.Lease = TimeSpan.FromSeconds(5);
            o.ProviderCallTimeout = TimeSpan.FromSeconds(2);
            o.BatchSize = 2;
            o.MaxConcurrency = 1;
        });
        var queued = await QueueAsync(world, 2);
        var blocking = new BlockingSmsProvider(world.Sms, blockedCall: 1);
        var a = Instance(world, blocking);
        var b = Instance(world, world.Sms);

        var aRound = a.DispatchDueAsync();
        await blocking.Entered;
        Pass(TimeSpan.FromSeconds(6)); // A's call runs on past its lease
        await b.DispatchDueAsync();    // B claims what lapsed and sends it
        blocking.Release();            // A's call would now be accepted
        await aRound;
        await DrainAsync(b);

        world.Sms.Accepted.Select(r => r.IdempotencyKey).Should().BeEquivalentTo(queued.Select(id => id.ToString()), "each message reaches the provider once");
        foreach (var id in queued)
        {
            (await world.Store.GetMessageAsync(id))!.Status.Should().Be(DeliveryStatus.Sent);
        }
    }

    [Fact]
    public async Task An_entry_that_waited_past_its_lease_behind_a_slow_call_is_not_sent_by_the_instance_that_lost_it_even_when_already_Sending()
    {
        await using var world = await WorldAsync(o =>
        {
            o.Lease = TimeSpan.FromSeconds(10);
            o.ProviderCallTimeout = TimeSpan.FromSeconds(2);
            o.BatchSize = 2;
            o.MaxConcurrency = 1;
        });
        var queued = await QueueAsync(world, 2);
        var blocking = new BlockingSmsProvider(world.Sms, blockedCall: 1);
        var a = Instance(world, blocking);

        var aRound = a.DispatchDueAsync();
        await blocking.Entered;

        // The second entry waits behind the first call until its lease lapsed (a stalled host: the lease clock moves on,
        // the call's own cut-off does not). Instance B claims it and starts sending: the message is Sending, B's call under way.
        var tail = queued.Single(id => id.ToString() != blocking.BlockedKey);
        _clock.Advance(Duration.FromSeconds(11));
        var taken = await world.Store.ClaimOutboxAsync("instance-b", _clock.GetCurrentInstant(), Duration.FromSeconds(10), 10);
        taken.Select(e => e.MessageId).Should().Contain(tail);
        var waiting = (await world.Store.GetMessageAsync(tail))!;
        await world.Store.WriteAsync(work => work.UpdateMessage(waiting with { Status = DeliveryStatus.Sending, Version = waiting.Version + 1 }, waiting.Version), default);

        blocking.Release();
        await aRound;

        world.Sms.Accepted.Select(r => r.IdempotencyKey).Should().NotContain(tail.ToString(), "B holds the lease of the second message; A must not call the provider for it");
        world.Logs.Lines.Should().Contain(l => l.Contains("taken over by another instance", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_poison_entry_neither_cancels_the_others_calls_nor_comes_back_forever_it_fails_after_MaxAttempts_refunded_and_audited()
    {
        PoisonStore? poison = null;
        await using var world = await WorldAsync(
            o =>
            {
                o.MaxConcurrency = 2;
                o.BatchSize = 2;
                o.MaxAttempts = 3;
            },
            services => services.Replace(ServiceDescriptor.Singleton<IMessagingStore>(_ => (poison = PoisonStore.Wrap(new InMemoryMessagingStore())).Store)));
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var bad = await world.Messages.SendAsync(Bob, Sms());
        var good = await world.Messages.SendAsync(Bob, Sms());
        poison!.Poison = bad.Id;
        var blocking = new BlockingSmsProvider(world.Sms, blockedCall: 1);
        var dispatcher = Instance(world, blocking);

        // The good message's call is in flight while the poison entry throws.
        var round = dispatcher.DispatchDueAsync();
        await Task.WhenAny(Task.WhenAll(blocking.Entered, poison.Threw), round);
        blocking.Release();
        await round.Invoking(async r => await r).Should().NotThrowAsync("one entry's exception is recorded against it, not thrown at the round");

        world.Sms.Accepted.Select(r => r.IdempotencyKey).Should().Equal(good.Id.ToString());
        (await world.Store.GetMessageAsync(good.Id))!.Status.Should().Be(DeliveryStatus.Sent, "its call was not cancelled by the other entry's failure");
        var afterOne = (await world.Store.GetMessageAsync(bad.Id))!;
        afterOne.Status.Should().Be(DeliveryStatus.Queued);
        afterOne.ErrorCode.Should().Be("dispatch_error");
        (await dispatcher.DispatchDueAsync()).Should().Be(0, "the failed attempt backs off");

        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(Duration.FromMinutes(10));
            await dispatcher.DispatchDueAsync();
        }

        poison.Throws.Should().Be(3, "MaxAttempts attempts, then never again");
        (await world.Store.GetMessageAsync(bad.Id))!.Status.Should().Be(DeliveryStatus.Failed);
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(9, "the failed message's credit comes back");
        (await world.Store.ListAuditEventsAsync(new AuditQuery { OrganisationId = Trust, Action = AuditAction.MessageFailed, TargetId = bad.Id.ToString() })).Should().ContainSingle();
        world.Logs.AllText.Should().Contain(nameof(InvalidOperationException)).And.NotContain("7400123456", "an exception's message may carry patient data and is not logged");
    }

    [Fact]
    public void The_lease_must_be_at_least_twice_the_provider_call_timeout()
    {
        var validator = new OutboxOptionsValidator();

        validator.Validate(null, new OutboxOptions { Lease = TimeSpan.FromSeconds(59), ProviderCallTimeout = TimeSpan.FromSeconds(30) }).Failures
            .Should().ContainSingle().Which.Should().Contain("Lease must be at least twice ProviderCallTimeout");
        validator.Validate(null, new OutboxOptions { Lease = TimeSpan.FromSeconds(60), ProviderCallTimeout = TimeSpan.FromSeconds(30) }).Succeeded.Should().BeTrue();
        validator.Validate(null, new OutboxOptions { ProviderCallTimeout = TimeSpan.Zero }).Failures.Should().ContainSingle().Which.Should().Contain("ProviderCallTimeout");
        validator.Validate(null, new OutboxOptions()).Succeeded.Should().BeTrue("the defaults fit together");
    }

    [Theory]
    [InlineData(120, 45, 8, 50, 8)]   // the defaults: one wave of 8 calls fits a 2-minute lease with 45 s calls
    [InlineData(600, 30, 8, 50, 50)]  // a long lease: the whole batch
    [InlineData(120, 10, 4, 50, 44)]  // 11 waves of 4
    [InlineData(5, 2, 1, 2, 1)]
    public void A_round_claims_no_more_than_its_calls_can_start_within_one_lease(int leaseSeconds, int timeoutSeconds, int concurrency, int batch, int expected)
    {
        var dispatcher = new ServiceCollection().AddLogging().AddPatientMessaging(o =>
            {
                o.PublicBaseUrl = new Uri("https://ehr.example/");
                o.LinkKey = TestSecrets.LinkKey;
            }).AddInMemoryStore().Services
            .Configure<OutboxOptions>(o =>
            {
                o.Lease = TimeSpan.FromSeconds(leaseSeconds);
                o.ProviderCallTimeout = TimeSpan.FromSeconds(timeoutSeconds);
                o.MaxConcurrency = concurrency;
                o.BatchSize = batch;
            })
            .BuildServiceProvider().GetRequiredService<IOutboxDispatcher>();

        ((OutboxDispatcher)dispatcher).ClaimSize.Should().Be(expected);
    }

    private static SendMessageRequest Sms() => new() { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Your appointment is on Monday." };

    private void Pass(TimeSpan time)
    {
        _clock.Advance(Duration.FromTimeSpan(time));
        _time.Advance(time);
    }

    private Task<TestWorld> WorldAsync(Action<OutboxOptions> outbox, Action<IServiceCollection>? more = null) => CreateAsync(configure: services =>
    {
        services.Replace(ServiceDescriptor.Singleton<IClock>(_clock));
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
        services.Configure(outbox);
        more?.Invoke(services);
    });

    private static async Task<IReadOnlyList<MessageId>> QueueAsync(TestWorld world, int count)
    {
        await world.Credits.PurchaseAsync(Alice, Trust, count, "INV-1");
        var ids = new List<MessageId>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await world.Messages.SendAsync(Bob, Sms())).Id);
        }

        return ids;
    }

    /// <summary>Another dispatcher on the world's store and clocks, with its own owner name and providers.</summary>
    private static OutboxDispatcher Instance(TestWorld world, ISmsProvider sms)
        => ActivatorUtilities.CreateInstance<OutboxDispatcher>(
            world.Services,
            new ProviderRoutes([sms], world.Services.GetServices<IEmailProvider>(), Microsoft.Extensions.Options.Options.Create(new ProviderRouteOptions())));

    private async Task DrainAsync(OutboxDispatcher dispatcher)
    {
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(Duration.FromMinutes(10));
            await dispatcher.DispatchDueAsync();
        }
    }

    /// <summary>Passes calls to a recording provider; the n-th call waits until released (or cancelled) first.</summary>
    private sealed class BlockingSmsProvider(FakeSmsProvider inner, int blockedCall) : ISmsProvider
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public string Name => inner.Name;

        public Task Entered => _entered.Task;

        public string? BlockedKey { get; private set; }

        public void Release() => _release.TrySetResult();

        public async Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == blockedCall)
            {
                BlockedKey = request.IdempotencyKey;
                _entered.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }

            return await inner.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>
/// A store whose writes throw a plain exception (not a conflict) when they move one message to Sending: a poison
/// entry, failing the same way on every attempt before its provider call. Everything else passes through.
/// </summary>
public class PoisonStore : DispatchProxy
{
    private readonly TaskCompletionSource _threw = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IMessagingStore _inner = null!;
    private int _throws;

    public IMessagingStore Store => (IMessagingStore)(object)this;

    public MessageId? Poison { get; set; }

    public Task Threw => _threw.Task;

    public int Throws => Volatile.Read(ref _throws);

    internal static PoisonStore Wrap(IMessagingStore inner)
    {
        var proxy = (PoisonStore)(object)Create<IMessagingStore, PoisonStore>();
        proxy._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var result = Forward(_inner, targetMethod!, args);
        return targetMethod!.Name == nameof(IMessagingStore.BeginAsync) ? WrapAsync((ValueTask<IMessagingUnitOfWork>)result!) : result;
    }

    internal void Check(Message message)
    {
        if (message.Id == Poison && message.Status == DeliveryStatus.Sending)
        {
            Interlocked.Increment(ref _throws);
            _threw.TrySetResult();
            throw new InvalidOperationException("Poisoned write for +447400123456.");
        }
    }

    private static object? Forward(object target, MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private async ValueTask<IMessagingUnitOfWork> WrapAsync(ValueTask<IMessagingUnitOfWork> begin)
    {
        var work = await begin;
        var proxy = Create<IMessagingUnitOfWork, PoisonWork>();
        ((PoisonWork)(object)proxy).Init(work, this);
        return proxy;
    }

    public class PoisonWork : DispatchProxy
    {
        private IMessagingUnitOfWork _inner = null!;
        private PoisonStore _store = null!;

        internal void Init(IMessagingUnitOfWork inner, PoisonStore store)
        {
            _inner = inner;
            _store = store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IMessagingUnitOfWork.UpdateMessage))
            {
                _store.Check((Message)args![0]!);
            }

            return Forward(_inner, targetMethod, args);
        }
    }
}
