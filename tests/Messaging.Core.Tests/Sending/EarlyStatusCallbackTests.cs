using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Sending;

/// <summary>
/// Issue 16: a delivery report that arrives between the provider's acceptance and the SDK's write of the provider's
/// message id finds its message by the key the SDK put in the callback URL, instead of being dropped as unknown.
/// </summary>
public sealed class EarlyStatusCallbackTests
{
    private static readonly SendMessageRequest Ask = new() { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "How is the rash?", AllowReply = true };

    /// <summary>A provider whose delivery report reaches the SDK before its own answer does (Twilio's callbacks can).</summary>
    private sealed class CallsBackFirstProvider(IServiceProvider services) : ISmsProvider
    {
        private int _sequence;

        public string Name => "early";

        public List<(DeliveryStatus Status, DeliveryUpdateOutcome Outcome)> Reports { get; } = [];

        public DeliveryStatus ReportFirst { get; set; } = DeliveryStatus.Delivered;

        public async Task<ProviderSendResult> SendAsync(SmsSendRequest request, CancellationToken cancellationToken = default)
        {
            var sid = $"EA{Interlocked.Increment(ref _sequence):D4}";
            var report = new DeliveryStatusUpdate(Name, sid, ReportFirst, ReportFirst.ToString().ToLowerInvariant()) { IdempotencyKey = request.IdempotencyKey };
            Reports.Add((ReportFirst, await services.GetRequiredService<IDeliveryStatusService>().ApplyAsync(report, cancellationToken)));
            return ProviderSendResult.Accepted(sid) with { RawStatus = "queued" };
        }
    }

    private static Task<Support.TestWorld> WorldAsync() => CreateAsync(configure: s =>
    {
        s.RemoveAll<ISmsProvider>();
        s.AddSingleton<CallsBackFirstProvider>();
        s.AddSingleton<ISmsProvider>(sp => sp.GetRequiredService<CallsBackFirstProvider>());
    });

    [Fact]
    public async Task A_delivered_report_before_the_provider_id_is_stored_is_applied_and_the_send_still_completes()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var provider = world.Services.GetRequiredService<CallsBackFirstProvider>();

        var message = await world.Messages.SendAsync(Bob, Ask);
        await world.Dispatcher.DispatchDueAsync();

        provider.Reports.Should().Equal((DeliveryStatus.Delivered, DeliveryUpdateOutcome.Applied));
        var stored = (await world.Store.GetMessageAsync(message.Id))!;
        stored.Status.Should().Be(DeliveryStatus.Delivered, "status only moves forward: the dispatcher's Sent does not undo the report");
        stored.ProviderName.Should().Be("early");
        stored.ProviderMessageId.Should().Be("EA0001");
        var token = await world.Store.FindReplyTokenAsync(world.Services.GetRequiredService<Messaging.Replies.ReplyTokens>().HashFor(stored));
        token!.State.Should().Be(ReplyTokenState.Active, "acceptance still activates the reply link");
        world.Clock.Advance(NodaTime.Duration.FromHours(1));
        (await world.Dispatcher.DispatchDueAsync()).Should().Be(0, "the outbox entry was completed, not left for another claim");
        provider.Reports.Should().HaveCount(1, "the message was not sent again");
    }

    [Fact]
    public async Task An_early_sent_report_is_applied_and_a_later_delivered_report_finds_the_message_by_its_provider_id()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var provider = world.Services.GetRequiredService<CallsBackFirstProvider>();
        provider.ReportFirst = DeliveryStatus.Sent;
        var status = world.Services.GetRequiredService<IDeliveryStatusService>();

        var message = await world.Messages.SendAsync(Bob, Ask);
        await world.Dispatcher.DispatchDueAsync();
        var later = await status.ApplyAsync(new DeliveryStatusUpdate("early", "EA0001", DeliveryStatus.Delivered, "delivered"));

        provider.Reports.Should().Equal((DeliveryStatus.Sent, DeliveryUpdateOutcome.Applied));
        later.Should().Be(DeliveryUpdateOutcome.Applied);
        (await world.Store.GetMessageAsync(message.Id))!.Should().Match<Message>(m => m.Status == DeliveryStatus.Delivered && m.ProviderMessageId == "EA0001");
    }

    [Fact]
    public async Task A_report_whose_key_names_no_message_or_a_message_with_another_provider_id_changes_nothing()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var status = world.Services.GetRequiredService<IDeliveryStatusService>();
        var message = await world.Messages.SendAsync(Bob, Ask with { AllowReply = false });
        await world.Dispatcher.DispatchDueAsync();
        var before = (await world.Store.GetMessageAsync(message.Id))!;

        DeliveryStatusUpdate Report(string? key) => new("early", "EA9999", DeliveryStatus.Undelivered, "undelivered", "30003") { IdempotencyKey = key };

        (await status.ApplyAsync(Report(MessageId.New().ToString()))).Should().Be(DeliveryUpdateOutcome.UnknownMessage);
        (await status.ApplyAsync(Report("not-a-message-id"))).Should().Be(DeliveryUpdateOutcome.UnknownMessage);
        (await status.ApplyAsync(Report(null))).Should().Be(DeliveryUpdateOutcome.UnknownMessage);
        (await status.ApplyAsync(Report(message.Id.ToString()))).Should().Be(DeliveryUpdateOutcome.UnknownMessage, "the message has another provider id: the report is not its");
        (await status.ApplyAsync(Report(message.Id.ToString()) with { ProviderName = "other" })).Should().Be(DeliveryUpdateOutcome.UnknownMessage);

        (await world.Store.GetMessageAsync(message.Id)).Should().Be(before);
    }

    [Fact]
    public async Task A_report_for_a_queued_message_of_another_provider_does_not_touch_it()
    {
        await using var world = await WorldAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var status = world.Services.GetRequiredService<IDeliveryStatusService>();
        var message = await world.Messages.SendAsync(Bob, Ask with { AllowReply = false });
        var failed = (await world.Store.GetMessageAsync(message.Id))! with { ProviderName = "twilio", Status = DeliveryStatus.Sending, Version = message.Version + 1 };
        var work = await world.Store.BeginAsync();
        await using (work)
        {
            work.UpdateMessage(failed, message.Version);
            await work.CommitAsync();
        }

        (await status.ApplyAsync(new DeliveryStatusUpdate("early", "EA1", DeliveryStatus.Delivered, "delivered") { IdempotencyKey = message.Id.ToString() }))
            .Should().Be(DeliveryUpdateOutcome.UnknownMessage);
        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Sending);
    }
}
