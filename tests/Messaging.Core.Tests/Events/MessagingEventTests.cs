using System.Text.RegularExpressions;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Events;

public sealed partial class MessagingEventTests
{
    private const string Body = "Your biopsy results are ready; please call the clinic.";
    private static readonly SendMessageRequest Sms = new() { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = Body };

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/r/([A-Za-z0-9_-]{22})")]
    private static partial Regex LinkPattern();

    /// <summary>The seeded world with the recording handler (and optionally a throwing one registered before it) on a store with a commit seam.</summary>
    private static async Task<(TestWorld World, EventSink Sink)> WorldAsync(bool withThrowingHandler = false, int credits = 100)
    {
        var world = await CreateAsync(configure: services =>
        {
            services.Replace(ServiceDescriptor.Singleton(_ => InterceptingStore.Create()));
            services.AddSingleton<EventSink>();
            if (withThrowingHandler)
            {
                services.AddScoped<IMessagingEventHandler<MessageQueued>, ThrowingHandler>();
                services.AddScoped<IMessagingEventHandler<MessageSent>, ThrowingHandler>();
            }

            services.AddScoped<IMessagingEventHandler<MessagingEvent>, RecordingHandler>();
        });
        if (credits > 0)
        {
            await world.Credits.PurchaseAsync(Alice, Trust, credits, "INV-1");
        }

        return (world, world.Services.GetRequiredService<EventSink>());
    }

    private static IDeliveryStatusService Statuses(TestWorld world) => world.Services.GetRequiredService<IDeliveryStatusService>();

    [Fact]
    public async Task A_message_raises_queued_sent_and_delivered_once_each_after_each_commit()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;

        var message = await world.Messages.SendAsync(Bob, Sms);
        await world.Dispatcher.DispatchDueAsync();
        var sent = (await world.Store.GetMessageAsync(message.Id))!;
        var delivered = new DeliveryStatusUpdate(sent.ProviderName!, sent.ProviderMessageId!, DeliveryStatus.Delivered, "delivered");
        await Statuses(world).ApplyAsync(delivered);
        await Statuses(world).ApplyAsync(delivered); // a repeated callback changes nothing, so raises nothing
        await world.Dispatcher.DispatchDueAsync();   // nothing left to send

        sink.Events.Select(e => e.GetType()).Should().Equal(typeof(MessageQueued), typeof(MessageSent), typeof(MessageDelivered));
        sink.Observed.Should().OnlyContain(o => o.Committed, "a handler runs only once the change is readable");
        sink.Events.Cast<MessageEvent>().Should().OnlyContain(e =>
            e.MessageId == message.Id && e.ConversationId == message.ConversationId && e.PatientId == Jane
            && e.WorkspaceId == Dermatology && e.OrganisationId == Trust && e.Channel == MessageChannel.Sms);
        sink.Events[0].Should().BeOfType<MessageQueued>().Which.SentBy.Should().Be(Bob);
        sink.Events[1].Should().BeOfType<MessageSent>().Which.ProviderName.Should().Be(world.Sms.Name);
    }

    [Fact]
    public async Task Events_carry_ids_and_states_but_no_patient_data()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;

        var message = await world.Messages.SendAsync(Bob, Sms with { AllowReply = true });
        await world.Dispatcher.DispatchDueAsync();
        var token = LinkPattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;
        await world.Services.GetRequiredService<IPatientReplyService>().ReplyAsync(token, "Thank you, I will call tomorrow.");
        await world.Services.GetRequiredService<IOptOutService>().HandleInboundAsync(
            Trust, new InboundSms("fake-sms", "SM1", PhoneNumber.FromE164("+447400123456"), PhoneNumber.FromE164("+447400000001"), "STOP"));

        var printed = string.Join('\n', sink.Events.Select(e => e.ToString()));
        sink.Events.Should().HaveCount(4);
        printed.Should().Contain(message.Id.ToString())
            .And.NotContain("biopsy").And.NotContain("call tomorrow").And.NotContain("7400123456").And.NotContain("4765919")
            .And.NotContain("Jane").And.NotContain("jane.doe");
    }

    [Fact]
    public async Task A_patient_reply_raises_one_event_naming_the_message_replied_to()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;
        var message = await world.Messages.SendAsync(Bob, Sms with { AllowReply = true });
        await world.Dispatcher.DispatchDueAsync();
        var token = LinkPattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;
        var replies = world.Services.GetRequiredService<IPatientReplyService>();

        var reply = await replies.ReplyAsync(token, "Yes, I can come on Friday.");
        await replies.ReplyAsync(token, "And again"); // refused: the link is spent

        var replied = sink.Events.OfType<PatientReplied>().Should().ContainSingle().Subject;
        replied.MessageId.Should().Be(reply.ReplyId!.Value);
        replied.InReplyTo.Should().Be(message.Id);
        replied.ConversationId.Should().Be(message.ConversationId);
        sink.Observed.Should().OnlyContain(o => o.Committed);
    }

    [Fact]
    public async Task A_send_whose_commit_is_refused_for_overdraw_raises_nothing()
    {
        var (world, sink) = await WorldAsync(credits: 1);
        await using var _ = world;
        Message? competitor = null;
        // Alice's send passes the early balance check; before it commits, Bob's send takes the last credit.
        InterceptingStore.BeforeNextCommit(world.Store, async () => competitor = await world.Messages.SendAsync(Bob, Sms));

        var send = () => world.Messages.SendAsync(Alice, Sms);

        (await send.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.InsufficientCredits);
        sink.Events.Should().ContainSingle().Which.Should().BeOfType<MessageQueued>().Which.MessageId.Should().Be(competitor!.Id);
    }

    [Fact]
    public async Task A_delivery_report_that_loses_a_race_raises_nothing_and_the_winner_raises_once()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;
        var message = await world.Messages.SendAsync(Bob, Sms);
        await world.Dispatcher.DispatchDueAsync();
        var sent = (await world.Store.GetMessageAsync(message.Id))!;
        var undelivered = new DeliveryStatusUpdate(sent.ProviderName!, sent.ProviderMessageId!, DeliveryStatus.Undelivered, "undelivered", "30003");
        var delivered = undelivered with { Status = DeliveryStatus.Delivered, RawStatus = "delivered", ErrorCode = null };
        // The "delivered" report reads version n; before it commits, the "undelivered" report commits version n + 1.
        InterceptingStore.BeforeNextCommit(world.Store, () => Statuses(world).ApplyAsync(undelivered));

        var outcome = await Statuses(world).ApplyAsync(delivered);

        outcome.Should().Be(DeliveryUpdateOutcome.Ignored, "after the version conflict it re-reads a final status");
        sink.Events.Skip(2).Should().ContainSingle().Which.Should().BeOfType<MessageFailed>()
            .Which.Should().Match<MessageFailed>(f => f.Status == DeliveryStatus.Undelivered && f.ErrorCode == "30003");
    }

    [Fact]
    public async Task A_send_retried_after_a_conversation_race_raises_one_event()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;
        var first = await world.Messages.SendAsync(Bob, Sms);
        // Carol's send reads the conversation; before it commits, Bob writes to it: Carol's commit conflicts and is retried.
        InterceptingStore.BeforeNextCommit(world.Store, () => world.Messages.SendAsync(Bob, Sms with { PatientId = null, ConversationId = first.ConversationId, Body = "Second" }));

        var carols = await world.Messages.SendAsync(Carol, Sms with { PatientId = null, ConversationId = first.ConversationId, Body = "Third" });

        sink.Events.OfType<MessageQueued>().Where(e => e.SentBy == Carol).Should().ContainSingle().Which.MessageId.Should().Be(carols.Id);
        sink.Events.OfType<MessageQueued>().Should().HaveCount(3);
        (await world.Store.ListConversationMessagesAsync(first.ConversationId)).Should().HaveCount(3);
    }

    [Fact]
    public async Task A_dispatch_that_lost_its_lease_raises_no_sent_event()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;
        var message = await world.Messages.SendAsync(Bob, Sms);
        var lease = NodaTime.Duration.FromTimeSpan(new Messaging.Outbox.OutboxOptions().Lease);
        // The Queued -> Sending commit and the fence before the provider call go through; before the "sent" commit, the
        // lease lapses and another instance claims.
        var claimedByOther = false;
        InterceptingStore.BeforeNextCommit(world.Store, () =>
        {
            InterceptingStore.BeforeNextCommit(world.Store, () =>
            {
                InterceptingStore.BeforeNextCommit(world.Store, async () =>
                {
                    world.Clock.Advance(lease + NodaTime.Duration.FromSeconds(1));
                    claimedByOther = (await world.Store.ClaimOutboxAsync("other-instance", world.Clock.GetCurrentInstant(), lease, 10)).Count == 1;
                });
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        });

        await world.Dispatcher.DispatchDueAsync();

        claimedByOther.Should().BeTrue();
        world.Sms.Accepted.Should().ContainSingle();
        sink.Events.Should().ContainSingle().Which.Should().BeOfType<MessageQueued>();
    }

    [Fact]
    public async Task A_permanent_failure_raises_failed_and_a_provider_opt_out_raises_opt_out_with_ids()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;
        world.Sms.FailPermanently("21610", recipientOptedOut: true);

        var message = await world.Messages.SendAsync(Bob, Sms);
        await world.Dispatcher.DispatchDueAsync();

        sink.Events.Select(e => e.GetType()).Should().Equal(typeof(MessageQueued), typeof(MessageFailed), typeof(OptOutChanged));
        sink.Events[1].Should().BeOfType<MessageFailed>().Which.Should().Match<MessageFailed>(f => f.Status == DeliveryStatus.Failed && f.ErrorCode == "21610");
        sink.Events[2].Should().BeEquivalentTo(new { OrganisationId = Trust, OptedOut = true, Source = "provider:21610", PatientId = (PatientId?)Jane, MessageId = (MessageId?)message.Id });
        sink.Observed.Should().OnlyContain(o => o.Committed);
    }

    [Fact]
    public async Task An_inbound_stop_raises_opt_out_and_start_raises_opt_in()
    {
        var (world, sink) = await WorldAsync();
        await using var _ = world;
        var optOut = world.Services.GetRequiredService<IOptOutService>();
        InboundSms Inbound(string body) => new("fake-sms", Guid.NewGuid().ToString(), PhoneNumber.FromE164("+447400123456"), PhoneNumber.FromE164("+447400000001"), body);

        await optOut.HandleInboundAsync(Trust, Inbound("stop"));
        await optOut.HandleInboundAsync(Trust, Inbound("Thanks!"));
        await optOut.HandleInboundAsync(Trust, Inbound("START"));

        sink.Events.Cast<OptOutChanged>().Select(e => (e.OptedOut, e.Source)).Should().Equal((true, "keyword:STOP"), (false, "keyword:START"));
    }

    [Fact]
    public async Task A_throwing_handler_neither_undoes_the_change_nor_stops_the_other_handlers()
    {
        var (world, sink) = await WorldAsync(withThrowingHandler: true);
        await using var _ = world;

        var message = await world.Messages.SendAsync(Bob, Sms);
        await world.Dispatcher.DispatchDueAsync();

        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Sent);
        world.Sms.Accepted.Should().ContainSingle();
        sink.Events.Select(e => e.GetType()).Should().Equal(typeof(MessageQueued), typeof(MessageSent));
        var failures = world.Logs.Lines.Where(l => l.Contains("[1201]", StringComparison.Ordinal)).ToList();
        failures.Should().HaveCount(2).And.OnlyContain(l => l.Contains(nameof(ThrowingHandler), StringComparison.Ordinal));
        world.Logs.AllText.Should().NotContain("biopsy").And.NotContain("7400123456");
    }

    [Fact]
    public async Task AddEventHandler_registers_a_scoped_handler_for_each_event_type_it_handles_once()
    {
        await using var world = await CreateAsync(configure: services =>
        {
            services.AddSingleton<EventSink>();
            services.AddPatientMessaging().AddEventHandler<QueuedAndSentCounter>().AddEventHandler<QueuedAndSentCounter>();
        });
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");

        await world.Messages.SendAsync(Bob, Sms);
        await world.Dispatcher.DispatchDueAsync();

        world.Services.GetRequiredService<EventSink>().Events.Select(e => e.GetType()).Should().Equal(typeof(MessageQueued), typeof(MessageSent));
        var register = () => new ServiceCollection().AddPatientMessaging().AddEventHandler<EventSink>();
        register.Should().Throw<ArgumentException>();
    }

    private sealed class QueuedAndSentCounter(EventSink sink) : IMessagingEventHandler<MessageQueued>, IMessagingEventHandler<MessageSent>
    {
        public Task HandleAsync(MessageQueued messagingEvent, CancellationToken cancellationToken)
        {
            sink.Add(messagingEvent, committed: true);
            return Task.CompletedTask;
        }

        public Task HandleAsync(MessageSent messagingEvent, CancellationToken cancellationToken)
        {
            sink.Add(messagingEvent, committed: true);
            return Task.CompletedTask;
        }
    }
}
