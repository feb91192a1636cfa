using System.Net;
using Messaging.AspNetCore.Tests.Support;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.AspNetCore.Tests;

public sealed class TwilioWebhookTests
{
    private static List<KeyValuePair<string, string>> StatusCallback(Message message, string status, string? errorCode = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
            new("MessageSid", message.ProviderMessageId!),
            new("MessageStatus", status),
            new("To", "+447400123456"),
            new("ApiVersion", "2010-04-01"),
        };
        if (errorCode is not null)
        {
            fields.Add(new("ErrorCode", errorCode));
        }

        return fields;
    }

    private static List<KeyValuePair<string, string>> Inbound(string body, string from = "+447400123456") =>
    [
        new("MessageSid", "SM" + Guid.NewGuid().ToString("N")),
        new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        new("From", from),
        new("To", "+447700900123"),
        new("Body", body),
        new("NumMedia", "0"),
    ];

    [Fact]
    public async Task A_status_callback_signed_for_the_public_url_moves_the_message_forward()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);

        using var response = await world.PostTwilioAsync("twilio/status", StatusCallback(message, "delivered"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var updated = await world.MessageAsync(message.Id);
        updated.Status.Should().Be(DeliveryStatus.Delivered);
        updated.ProviderStatus.Should().Be("delivered");
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("another account's token")]
    [InlineData("signed for another URL")]
    [InlineData("fields changed after signing")]
    public async Task A_forged_status_callback_is_refused_with_403_and_changes_nothing(string forgery)
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);
        var fields = StatusCallback(message, "failed", "30003");
        var signature = forgery switch
        {
            "missing" => null,
            "another account's token" => new TwilioRequestValidator("someone-elses-token").ComputeSignature("https://ehr.example.nhs.uk/m/twilio/status", fields),
            "signed for another URL" => world.Twilio.ComputeSignature("https://evil.example.com/m/twilio/status", fields),
            _ => world.Twilio.ComputeSignature("https://ehr.example.nhs.uk/m/twilio/status", StatusCallback(message, "delivered")),
        };

        using var response = await world.PostTwilioAsync("twilio/status", fields, signature, sign: signature is not null);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var unchanged = await world.MessageAsync(message.Id);
        unchanged.Status.Should().Be(DeliveryStatus.Sent);
        unchanged.Version.Should().Be(message.Version);
    }

    [Fact]
    public async Task A_replayed_status_callback_is_idempotent_and_a_late_older_status_changes_nothing()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);
        var delivered = StatusCallback(message, "delivered");

        using var first = await world.PostTwilioAsync("twilio/status", delivered);
        var afterFirst = await world.MessageAsync(message.Id);
        using var replay = await world.PostTwilioAsync("twilio/status", delivered);
        var afterReplay = await world.MessageAsync(message.Id);
        using var late = await world.PostTwilioAsync("twilio/status", StatusCallback(message, "sent"));
        var afterLate = await world.MessageAsync(message.Id);

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        replay.StatusCode.Should().Be(HttpStatusCode.NoContent, "Twilio must not retry a repeat");
        late.StatusCode.Should().Be(HttpStatusCode.NoContent);
        afterFirst.Status.Should().Be(DeliveryStatus.Delivered);
        afterReplay.Should().Be(afterFirst, "a repeat changes nothing, not even the version");
        afterLate.Should().Be(afterFirst, "status only moves forward (R13)");
    }

    [Fact]
    public async Task A_signed_callback_for_a_status_the_sdk_does_not_track_is_acknowledged_and_ignored()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Hello", allowReply: false);

        using var response = await world.PostTwilioAsync("twilio/status", StatusCallback(message, "receiving"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await world.MessageAsync(message.Id)).Should().Be(message);
    }

    [Fact]
    public async Task A_signed_callback_without_a_message_sid_is_a_bad_request()
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.PostTwilioAsync("twilio/status", [new("MessageStatus", "delivered")]);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_webhook_that_is_not_a_form_is_refused()
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.Client.PostAsync("/m/twilio/status", new StringContent("{\"MessageStatus\":\"delivered\"}", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_inbound_STOP_opts_the_number_out_so_sends_are_refused_until_START()
    {
        await using var world = await WebWorld.StartAsync();
        var optOuts = world.Services.GetRequiredService<IOptOutService>();

        using var stop = await world.PostTwilioAsync("twilio/inbound/northshire-trust", Inbound("Stop"));

        stop.StatusCode.Should().Be(HttpStatusCode.OK);
        (await stop.Content.ReadAsStringAsync()).Should().EndWith("<Response/>", "Twilio's own opt-out handling answers keywords");
        (await optOuts.IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeTrue();
        var refused = () => world.SendSmsAsync("Reminder", allowReply: false);
        (await refused.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.RecipientOptedOut);

        using var start = await world.PostTwilioAsync("twilio/inbound/northshire-trust", Inbound("START"));
        (await optOuts.IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeFalse();
    }

    [Fact]
    public async Task An_inbound_text_that_is_not_a_keyword_gets_an_auto_reply_saying_it_is_not_read()
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => o.InboundSmsReply = "Not read here. Call us & use the link <please>."));

        using var response = await world.PostTwilioAsync("twilio/inbound/northshire-trust", Inbound("Can I move my appointment?"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/xml");
        (await response.Content.ReadAsStringAsync()).Should().EndWith("<Response><Message>Not read here. Call us &amp; use the link &lt;please&gt;.</Message></Response>");
        (await world.Services.GetRequiredService<IOptOutService>().IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeFalse();
    }

    [Fact]
    public async Task No_auto_reply_goes_to_an_opted_out_number_or_when_the_host_turns_it_off()
    {
        await using var world = await WebWorld.StartAsync();
        await using var silent = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => o.InboundSmsReply = null));
        using var stop = await world.PostTwilioAsync("twilio/inbound/northshire-trust", Inbound("STOP"));

        using var optedOut = await world.PostTwilioAsync("twilio/inbound/northshire-trust", Inbound("hello?"));
        using var off = await silent.PostTwilioAsync("twilio/inbound/northshire-trust", Inbound("hello?"));

        (await optedOut.Content.ReadAsStringAsync()).Should().EndWith("<Response/>");
        (await off.Content.ReadAsStringAsync()).Should().EndWith("<Response/>");
    }

    [Fact]
    public async Task A_forged_inbound_STOP_is_refused_and_does_not_opt_the_patient_out()
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.PostTwilioAsync("twilio/inbound/northshire-trust", Inbound("STOP"), sign: false);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await world.Services.GetRequiredService<IOptOutService>().IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeFalse();
    }

    [Fact]
    public async Task Without_Twilio_registered_the_webhooks_are_not_mapped()
    {
        await using var world = await WebWorld.StartAsync(withTwilio: false);

        using var response = await world.PostTwilioAsync("twilio/status", [new("MessageSid", "SM1"), new("MessageStatus", "delivered")]);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
