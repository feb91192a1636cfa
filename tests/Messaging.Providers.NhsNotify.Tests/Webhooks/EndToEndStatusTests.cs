using Messaging.Providers.NhsNotify.Tests.Support;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messaging.Providers.NhsNotify.Tests.Webhooks;

/// <summary>
/// An email sent by the SDK's outbox through NHS Notify (to the in-process server), then NHS Notify's signed callbacks
/// applied by the SDK's delivery status service: the email reaches Delivered or Undelivered, forward only.
/// </summary>
public sealed class EndToEndStatusTests
{
    private static readonly Uri StatusUrl = new("https://ehr.example.nhs.uk/m/sms/nhs-notify/status");

    private static async Task<(TestWorld World, FakeNhsNotifyServer Server, Message Message)> SendEmailAsync(FakeResponse answer)
    {
        var server = new FakeNhsNotifyServer(answer);
        var world = await TestWorld.CreateAsync(configure: services =>
        {
            services.RemoveAll<IEmailProvider>();
            new NhsNotifyTestHost.Builder(services).AddNhsNotify(o =>
            {
                o.BaseUrl = server.BaseUrl;
                o.ApplicationId = NhsNotifyTestHost.ApplicationId;
                o.ApiKey = NhsNotifyTestHost.ApiKey;
                o.AccessToken = NhsNotifyTestHost.AccessToken;
            });
        });
        var message = await world.Messages.SendAsync(TestWorld.Bob, new SendMessageRequest
        {
            WorkspaceId = TestWorld.Dermatology, Channel = MessageChannel.Email, PatientId = TestWorld.Jane, Subject = "Your appointment", Body = "See you soon.",
        });
        await world.Dispatcher.DispatchDueAsync();
        return (world, server, message);
    }

    private static async Task ApplyAsync(TestWorld world, string body)
    {
        var handler = world.Services.GetServices<IProviderWebhookHandler>().Single(h => h.Name == "nhs-notify");
        var request = Callbacks.Signed(StatusUrl, body);
        (await handler.AuthenticateAsync(request, default)).Should().BeTrue();
        foreach (var update in handler.ParseStatusReports(request))
        {
            await world.Services.GetRequiredService<IDeliveryStatusService>().ApplyAsync(update);
        }
    }

    [Fact]
    public async Task A_delivered_callback_before_a_late_sending_one_leaves_the_email_delivered()
    {
        var (world, server, message) = await SendEmailAsync(FakeResponse.Created("x"));
        await using var _ = world;
        await using var __ = server;
        var sent = (await world.Store.GetMessageAsync(message.Id))!;
        sent.Status.Should().Be(DeliveryStatus.Sent);
        sent.ProviderName.Should().Be("nhs-notify");
        var reference = server.Requests.Single().Json["data"]!["attributes"]!["messageReference"]!.GetValue<string>();
        sent.ProviderMessageId.Should().Be(reference);

        await ApplyAsync(world, Callbacks.MessageStatus(reference, "delivered"));
        await ApplyAsync(world, Callbacks.MessageStatus(reference, "sending"));
        await ApplyAsync(world, Callbacks.MessageStatus(reference, "delivered"));

        var final = (await world.Store.GetMessageAsync(message.Id))!;
        final.Status.Should().Be(DeliveryStatus.Delivered);
        final.ProviderStatus.Should().Be("delivered");
    }

    [Fact]
    public async Task A_permanent_failure_of_the_email_channel_makes_the_email_undelivered()
    {
        var (world, server, message) = await SendEmailAsync(FakeResponse.Created("x"));
        await using var _ = world;
        await using var __ = server;

        await ApplyAsync(world, Callbacks.ChannelStatus(message.ProviderMessageId ?? (await world.Store.GetMessageAsync(message.Id))!.ProviderMessageId!, "email", "failed", "permanent_failure", "CFR_EMAIL_1"));

        var final = (await world.Store.GetMessageAsync(message.Id))!;
        final.Status.Should().Be(DeliveryStatus.Undelivered);
        final.ProviderStatus.Should().Be("permanent_failure");
        final.ErrorCode.Should().Be("CFR_EMAIL_1");
    }

    [Fact]
    public async Task A_retry_that_nhs_notify_already_has_still_gets_its_callbacks()
    {
        var (world, server, message) = await SendEmailAsync(FakeResponse.NhsNotifyError(422, "CM_DUPLICATE_REQUEST", "Request exists with identical messageReference"));
        await using var _ = world;
        await using var __ = server;
        var reference = server.Requests.Single().Json["data"]!["attributes"]!["messageReference"]!.GetValue<string>();

        await ApplyAsync(world, Callbacks.MessageStatus(reference, "delivered"));

        (await world.Store.GetMessageAsync(message.Id))!.Status.Should().Be(DeliveryStatus.Delivered);
    }
}
