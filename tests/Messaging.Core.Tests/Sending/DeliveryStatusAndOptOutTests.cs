using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Sending;

public sealed class DeliveryStatusAndOptOutTests
{
    private static readonly SendMessageRequest Text = new() { WorkspaceId = Dermatology, Channel = MessageChannel.Sms, PatientId = Jane, Body = "Please book your follow-up." };
    private static readonly PhoneNumber JaneMobile = PhoneNumber.FromE164("+447400123456");
    private static readonly PhoneNumber TrustNumber = PhoneNumber.FromE164("+447400000001");

    private static async Task<(Support.TestWorld World, Message Sent)> SentMessageAsync()
    {
        var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var message = await world.Messages.SendAsync(Bob, Text);
        await world.Dispatcher.DispatchDueAsync();
        return (world, (await world.Store.GetMessageAsync(message.Id))!);
    }

    private static DeliveryStatusUpdate Report(Message m, DeliveryStatus status, string raw, string? code = null)
        => new(m.ProviderName!, m.ProviderMessageId!, status, raw, code);

    [Fact]
    public async Task A_late_sent_report_never_overwrites_delivered()
    {
        var (world, sent) = await SentMessageAsync();
        await using var _ = world;
        var status = world.Services.GetService(typeof(IDeliveryStatusService)) as IDeliveryStatusService;

        (await status!.ApplyAsync(Report(sent, DeliveryStatus.Delivered, "delivered"))).Should().Be(DeliveryUpdateOutcome.Applied);
        (await status.ApplyAsync(Report(sent, DeliveryStatus.Sent, "sent"))).Should().Be(DeliveryUpdateOutcome.Ignored);

        var stored = (await world.Store.GetMessageAsync(sent.Id))!;
        stored.Status.Should().Be(DeliveryStatus.Delivered);
        stored.ProviderStatus.Should().Be("delivered");
    }

    [Fact]
    public async Task A_repeated_report_is_applied_once_and_the_providers_error_code_is_kept()
    {
        var (world, sent) = await SentMessageAsync();
        await using var _ = world;
        var status = (IDeliveryStatusService)world.Services.GetService(typeof(IDeliveryStatusService))!;
        var undelivered = Report(sent, DeliveryStatus.Undelivered, "undelivered", "30003");

        (await status.ApplyAsync(undelivered)).Should().Be(DeliveryUpdateOutcome.Applied);
        var version = (await world.Store.GetMessageAsync(sent.Id))!.Version;
        (await status.ApplyAsync(undelivered)).Should().Be(DeliveryUpdateOutcome.Ignored);
        (await status.ApplyAsync(Report(sent, DeliveryStatus.Delivered, "delivered"))).Should().Be(DeliveryUpdateOutcome.Ignored, "final states do not change");

        var stored = (await world.Store.GetMessageAsync(sent.Id))!;
        stored.Should().Match<Message>(m => m.Status == DeliveryStatus.Undelivered && m.ErrorCode == "30003" && m.ProviderStatus == "undelivered" && m.Version == version);
    }

    [Fact]
    public async Task A_report_for_an_unknown_provider_id_is_reported_as_unknown()
    {
        var (world, sent) = await SentMessageAsync();
        await using var _ = world;
        var status = (IDeliveryStatusService)world.Services.GetService(typeof(IDeliveryStatusService))!;

        (await status.ApplyAsync(new DeliveryStatusUpdate(sent.ProviderName!, "SM-nope", DeliveryStatus.Delivered, "delivered")))
            .Should().Be(DeliveryUpdateOutcome.UnknownMessage);
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData(" Stop. ")]
    [InlineData("STOPALL")]
    [InlineData("unsubscribe")]
    [InlineData("Cancel")]
    [InlineData("END")]
    [InlineData("quit")]
    [InlineData("REVOKE")]
    [InlineData("optout")]
    public async Task A_stop_keyword_blocks_the_next_send_which_costs_nothing(string keyword)
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var optOut = (IOptOutService)world.Services.GetService(typeof(IOptOutService))!;

        (await optOut.HandleInboundAsync(Trust, new InboundSms("fake-sms", "SM1", JaneMobile, TrustNumber, keyword))).Should().Be(InboundKeyword.OptOut);
        var act = () => world.Messages.SendAsync(Bob, Text);

        var error = (await act.Should().ThrowAsync<MessagingConflictException>()).Which;
        error.ErrorCode.Should().Be(MessagingErrorCodes.RecipientOptedOut);
        error.Message.Should().NotContain("7400123456");
        (await world.Credits.GetBalanceAsync(Trust)).Should().Be(10);
        (await world.Store.ListPatientConversationsAsync(Dermatology, Jane, null)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("START")]
    [InlineData("unstop")]
    public async Task Start_or_unstop_lets_sms_through_again(string keyword)
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        var optOut = (IOptOutService)world.Services.GetService(typeof(IOptOutService))!;
        await optOut.HandleInboundAsync(Trust, new InboundSms("fake-sms", "SM1", JaneMobile, TrustNumber, "STOP"));

        (await optOut.HandleInboundAsync(Trust, new InboundSms("fake-sms", "SM2", JaneMobile, TrustNumber, keyword))).Should().Be(InboundKeyword.OptIn);

        (await world.Messages.SendAsync(Bob, Text)).Status.Should().Be(DeliveryStatus.Queued);
    }

    [Fact]
    public async Task An_ordinary_reply_is_not_a_keyword()
    {
        await using var world = await CreateAsync();
        var optOut = (IOptOutService)world.Services.GetService(typeof(IOptOutService))!;

        (await optOut.HandleInboundAsync(Trust, new InboundSms("fake-sms", "SM1", JaneMobile, TrustNumber, "Please stop calling me at work"))).Should().Be(InboundKeyword.None);
        (await optOut.IsOptedOutAsync(Trust, JaneMobile)).Should().BeFalse();
    }

    [Fact]
    public async Task A_provider_reporting_the_number_unsubscribed_opts_it_out()
    {
        await using var world = await CreateAsync();
        await world.Credits.PurchaseAsync(Alice, Trust, 10, "INV-1");
        await world.Messages.SendAsync(Bob, Text);
        world.Sms.FailPermanently("21610", recipientOptedOut: true);

        await world.Dispatcher.DispatchDueAsync();
        var next = () => world.Messages.SendAsync(Bob, Text);

        (await next.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.RecipientOptedOut);
    }
}
