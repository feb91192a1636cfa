using System.Collections.Concurrent;
using Messaging.Outbox;
using Messaging.Storage.EfCore.Tests.Support;
using Messaging.Testing.Fakes;
using Messaging.Testing.Peers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Testing;

namespace Messaging.Storage.EfCore.Tests.Outbox;

/// <summary>
/// R20 on one real PostgreSQL database: two app instances (two service providers, each with its own dispatcher and
/// store) drain 2,000 queued SMS into one recording provider. Each message reaches the provider exactly once, also
/// when one instance dies mid-way and its claims are taken over after the lease.
/// </summary>
public sealed class TwoDispatcherTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private const int Messages = 2_000;
    private static readonly OrganisationId Trust = new("two-instances-trust");
    private static readonly WorkspaceId Workspace = new("two-instances");
    private static readonly StaffId Sender = new("sender");
    private static readonly PatientId Patient = new("p-1");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // One clock for both instances, still unless a test moves it: leases lapse only when the test says so. The
    // provider-call cut-off's time stands still too, so the dead instance's hung calls hang as a dead process's would.
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 23, 9, 0));
    private readonly FakeTimeProvider _time = new();
    private readonly FakeSmsProvider _provider = new("recording-sms");
    private readonly List<ServiceProvider> _instances = [];

    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MESSAGING_POSTGRES")) && !Peers.Required)
        {
            return; // the tests skip
        }

        await database.ResetAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task Two_instances_send_every_queued_message_exactly_once()
    {
        var queued = await QueueAsync();
        var first = Instance(_provider);
        var second = Instance(_provider);

        var processed = await Task.WhenAll(DrainAsync(first), DrainAsync(second));

        AssertEachSentExactlyOnce(queued);
        processed.Should().AllSatisfy(n => n.Should().BePositive("both instances claim work from the shared outbox"));
        processed.Sum().Should().Be(Messages, "no entry was claimed twice");
        await AssertAllRecordedSentAsync(queued);
    }

    [PeerFact("MESSAGING_POSTGRES")]
    public async Task An_instance_killed_mid_way_loses_nothing_its_claims_are_sent_by_the_other_after_the_lease()
    {
        var queued = await QueueAsync();
        var dying = new DyingSmsProvider(_provider, diesAfter: 300);
        var doomed = Instance(dying);
        var survivor = Instance(_provider);

        // The doomed instance dispatches until it dies: from its 301st provider call on, every call hangs, as a
        // process that stopped would. Whatever it had claimed stays leased to it.
        var doomedLoop = Task.Run(async () =>
        {
            while (!dying.IsDead)
            {
                await doomed.GetRequiredService<IOutboxDispatcher>().DispatchDueAsync();
            }
        });
        await dying.Died;

        // The survivor drains what is free; the dead instance's claims only come back once their lease lapses.
        var processed = await DrainAsync(survivor, waitForLeases: true);
        await WaitUntilEveryAcceptedMessageIsRecordedAsync();
        var stranded = Messages - _provider.Accepted.Count;
        stranded.Should().BePositive("the dead instance still held claims it never sent");
        _clock.Advance(Duration.FromTimeSpan(Lease) + Duration.FromSeconds(1));
        processed += await DrainAsync(survivor);

        AssertEachSentExactlyOnce(queued);
        await AssertAllRecordedSentAsync(queued);
        dying.Release(); // the hung calls of the dead instance fail; its late writes lose to the survivor's
        await doomedLoop.WaitAsync(TimeSpan.FromMinutes(1));
        await AssertAllRecordedSentAsync(queued);
    }

    /// <summary>An app instance: its own services, store and dispatcher, on the shared database, clock and provider.</summary>
    private ServiceProvider Instance(ISmsProvider provider)
    {
        var instance = database.BuildServices(services =>
        {
            services.AddSingleton<IClock>(_clock);
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton(provider);
            services.Configure<OutboxOptions>(o =>
            {
                o.RunInBackground = false;
                o.Lease = Lease;
                o.ProviderCallTimeout = Lease / 2;
                o.BatchSize = 50;
            });
        });
        _instances.Add(instance);
        return instance;
    }

    /// <summary>Sets up the trust and queues <see cref="Messages"/> SMS through the public send path, four at a time.</summary>
    private async Task<IReadOnlyList<MessageId>> QueueAsync()
    {
        var host = Instance(_provider);
        await host.GetRequiredService<IWorkspaceService>().CreateOrganisationAsync(new CreateOrganisationRequest
        {
            OrganisationId = Trust,
            Name = "Two instances NHS Trust",
            DefaultWorkspaceId = Workspace,
            FirstAdmin = new NewMember(Sender, "sender@trust.example", "Sender"),
        });
        await host.GetRequiredService<IPatientService>().RegisterAsync(Sender, Workspace, new PatientRegistration
        {
            PatientId = Patient, NhsNumber = "943 476 5919", DateOfBirth = new LocalDate(1970, 3, 14), GivenName = "Jane", FamilyName = "Doe", Mobile = "07400 123456",
        });
        await host.GetRequiredService<ICreditService>().PurchaseAsync(Sender, Trust, Messages, "INV-2000");

        var messages = host.GetRequiredService<IMessageService>();
        var ids = new ConcurrentBag<MessageId>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var message = await messages.SendAsync(Sender, new SendMessageRequest { WorkspaceId = Workspace, Channel = MessageChannel.Sms, PatientId = Patient, Body = $"Reminder {i}" }, ct);
            ids.Add(message.Id);
        });
        return [.. ids];
    }

    /// <summary>
    /// Dispatches until the instance finds nothing to claim and, unless <paramref name="waitForLeases"/>, until every
    /// message reached the provider; returns how many entries it processed.
    /// </summary>
    private async Task<int> DrainAsync(IServiceProvider instance, bool waitForLeases = false)
    {
        var dispatcher = instance.GetRequiredService<IOutboxDispatcher>();
        var processed = 0;
        for (var idle = 0; idle < 500; idle++)
        {
            var claimed = await dispatcher.DispatchDueAsync();
            processed += claimed;
            if (claimed > 0)
            {
                idle = 0;
            }
            else if (waitForLeases || _provider.Accepted.Count >= Messages)
            {
                return processed;
            }
            else
            {
                await Task.Delay(20); // the other instance holds the rest; it will finish or release them
            }
        }

        return processed;
    }

    /// <summary>
    /// Waits until each message the provider accepted is recorded as sent: the dead instance's calls that got through
    /// before it died finish their writes, as a process does up to the moment it stops. Only then may its leases lapse.
    /// </summary>
    private async Task WaitUntilEveryAcceptedMessageIsRecordedAsync()
    {
        var store = _instances[0].GetRequiredService<IMessagingStore>();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var pending = 0;
            foreach (var request in _provider.Accepted)
            {
                if ((await store.GetMessageAsync(new MessageId(Guid.Parse(request.IdempotencyKey))))!.Status != DeliveryStatus.Sent)
                {
                    pending++;
                }
            }

            if (pending == 0)
            {
                return;
            }

            await Task.Delay(50);
        }
    }

    private void AssertEachSentExactlyOnce(IReadOnlyList<MessageId> queued)
    {
        var keys = _provider.Accepted.Select(r => r.IdempotencyKey).ToList();
        keys.Should().OnlyHaveUniqueItems("no message reaches the provider twice");
        keys.Should().BeEquivalentTo(queued.Select(id => id.ToString()), "every queued message reaches the provider");
    }

    private async Task AssertAllRecordedSentAsync(IReadOnlyList<MessageId> queued)
    {
        var store = _instances[0].GetRequiredService<IMessagingStore>();
        foreach (var id in queued)
        {
            (await store.GetMessageAsync(id))!.Status.Should().Be(DeliveryStatus.Sent);
        }

        (await store.ClaimOutboxAsync("checker", _clock.GetCurrentInstant() + Duration.FromDays(1), Duration.FromMinutes(1), 10))
            .Should().BeEmpty("a sent message leaves the outbox");
    }

    /// <summary>
    /// Passes calls to the recording provider until it "dies": from then on every call hangs until released, like a call
    /// made by a process that is gone. It never lets a call through after its death, so nothing it held reaches the
    /// provider from it.
    /// </summary>
    private sealed class DyingSmsProvider(FakeSmsProvider inner, int diesAfter) : ISmsProvider
    {
        private readonly TaskCompletionSource _died = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public string Name => inner.Name;

        public bool IsDead => _died.Task.IsCompleted;

        public Task Died => _died.Task;

        public async Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) > diesAfter)
            {
                _died.TrySetResult();
                await _release.Task;
                throw new InvalidOperationException("This instance is dead.");
            }

            return await inner.SendAsync(request, cancellationToken);
        }

        public void Release() => _release.TrySetException(new InvalidOperationException("This instance is dead."));
    }
}
