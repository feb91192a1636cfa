using System.Net;
using Messaging.AspNetCore.Tests.Support;
using Messaging.Providers.Twilio.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.AspNetCore.Tests;

/// <summary>
/// Twilio's webhooks end to end through the provider-neutral endpoints: every signature, replay and forgery check runs
/// against the SDK's routes (<c>sms/twilio/...</c>) and the deprecated 1.0 aliases (<c>twilio/...</c>).
/// </summary>
public sealed class TwilioWebhookTests
{
    public const string Status = "sms/twilio/status";
    public const string LegacyStatus = "twilio/status";
    public const string Inbound = "sms/twilio/inbound/northshire-trust";
    public const string LegacyInbound = "twilio/inbound/northshire-trust";

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

    private static List<KeyValuePair<string, string>> InboundText(string body, string from = "+447400123456") =>
    [
        new("MessageSid", "SM" + Guid.NewGuid().ToString("N")),
        new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        new("From", from),
        new("To", "+447700900123"),
        new("Body", body),
        new("NumMedia", "0"),
    ];

    [Theory]
    [InlineData(Status)]
    [InlineData(LegacyStatus)]
    public async Task A_status_callback_signed_for_the_public_url_moves_the_message_forward(string route)
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);

        using var response = await world.PostTwilioAsync(route, StatusCallback(message, "delivered"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var updated = await world.MessageAsync(message.Id);
        updated.Status.Should().Be(DeliveryStatus.Delivered);
        updated.ProviderStatus.Should().Be("delivered");
    }

    [Theory]
    [InlineData("missing", Status)]
    [InlineData("missing", LegacyStatus)]
    [InlineData("another account's token", Status)]
    [InlineData("another account's token", LegacyStatus)]
    [InlineData("signed for another URL", Status)]
    [InlineData("signed for another URL", LegacyStatus)]
    [InlineData("fields changed after signing", Status)]
    [InlineData("fields changed after signing", LegacyStatus)]
    public async Task A_forged_status_callback_is_refused_with_403_and_changes_nothing(string forgery, string route)
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);
        var fields = StatusCallback(message, "failed", "30003");
        var signature = forgery switch
        {
            "missing" => null,
            "another account's token" => new TwilioRequestValidator("someone-elses-token").ComputeSignature("https://ehr.example.nhs.uk/m/" + route, fields),
            "signed for another URL" => world.Twilio.ComputeSignature("https://evil.example.com/m/" + route, fields),
            _ => world.Twilio.ComputeSignature("https://ehr.example.nhs.uk/m/" + route, StatusCallback(message, "delivered")),
        };

        using var response = await world.PostTwilioAsync(route, fields, signature, sign: signature is not null);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var unchanged = await world.MessageAsync(message.Id);
        unchanged.Status.Should().Be(DeliveryStatus.Sent);
        unchanged.Version.Should().Be(message.Version);
    }

    [Theory]
    [InlineData(Status)]
    [InlineData(LegacyStatus)]
    public async Task A_replayed_status_callback_is_idempotent_and_a_late_older_status_changes_nothing(string route)
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);
        var delivered = StatusCallback(message, "delivered");

        using var first = await world.PostTwilioAsync(route, delivered);
        var afterFirst = await world.MessageAsync(message.Id);
        using var replay = await world.PostTwilioAsync(route, delivered);
        var afterReplay = await world.MessageAsync(message.Id);
        using var late = await world.PostTwilioAsync(route, StatusCallback(message, "sent"));
        var afterLate = await world.MessageAsync(message.Id);

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        replay.StatusCode.Should().Be(HttpStatusCode.NoContent, "Twilio must not retry a repeat");
        late.StatusCode.Should().Be(HttpStatusCode.NoContent);
        afterFirst.Status.Should().Be(DeliveryStatus.Delivered);
        afterReplay.Should().Be(afterFirst, "a repeat changes nothing, not even the version");
        afterLate.Should().Be(afterFirst, "status only moves forward (R13)");
    }

    [Theory]
    [InlineData(Status)]
    [InlineData(LegacyStatus)]
    public async Task A_signed_callback_for_a_status_the_sdk_does_not_track_is_acknowledged_and_ignored(string route)
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Hello", allowReply: false);

        using var response = await world.PostTwilioAsync(route, StatusCallback(message, "receiving"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await world.MessageAsync(message.Id)).Should().Be(message);
    }

    [Theory]
    [InlineData(Status)]
    [InlineData(LegacyStatus)]
    public async Task A_signed_callback_without_a_message_sid_is_a_bad_request(string route)
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.PostTwilioAsync(route, [new("MessageStatus", "delivered")]);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(Status)]
    [InlineData(LegacyStatus)]
    public async Task A_webhook_that_is_not_a_form_is_refused(string route)
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.Client.PostAsync("/m/" + route, new StringContent("{\"MessageStatus\":\"delivered\"}", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData(Inbound)]
    [InlineData(LegacyInbound)]
    public async Task An_inbound_STOP_opts_the_number_out_so_sends_are_refused_until_START(string route)
    {
        await using var world = await WebWorld.StartAsync();
        var optOuts = world.Services.GetRequiredService<IOptOutService>();

        using var stop = await world.PostTwilioAsync(route, InboundText("Stop"));

        stop.StatusCode.Should().Be(HttpStatusCode.OK);
        (await stop.Content.ReadAsStringAsync()).Should().EndWith("<Response/>", "Twilio's own opt-out handling answers keywords");
        (await optOuts.IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeTrue();
        var refused = () => world.SendSmsAsync("Reminder", allowReply: false);
        (await refused.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.RecipientOptedOut);

        using var start = await world.PostTwilioAsync(route, InboundText("START"));
        (await optOuts.IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeFalse();
    }

    [Theory]
    [InlineData(Inbound)]
    [InlineData(LegacyInbound)]
    public async Task An_inbound_text_that_is_not_a_keyword_gets_an_auto_reply_saying_it_is_not_read(string route)
    {
        await using var world = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => o.InboundSmsReply = "Not read here. Call us & use the link <please>."));

        using var response = await world.PostTwilioAsync(route, InboundText("Can I move my appointment?"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/xml");
        (await response.Content.ReadAsStringAsync()).Should().EndWith("<Response><Message>Not read here. Call us &amp; use the link &lt;please&gt;.</Message></Response>");
        (await world.Services.GetRequiredService<IOptOutService>().IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeFalse();
    }

    [Theory]
    [InlineData(Inbound)]
    [InlineData(LegacyInbound)]
    public async Task No_auto_reply_goes_to_an_opted_out_number_or_when_the_host_turns_it_off(string route)
    {
        await using var world = await WebWorld.StartAsync();
        await using var silent = await WebWorld.StartAsync(b => b.Services.Configure<MessagingWebOptions>(o => o.InboundSmsReply = null));
        using var stop = await world.PostTwilioAsync(route, InboundText("STOP"));

        using var optedOut = await world.PostTwilioAsync(route, InboundText("hello?"));
        using var off = await silent.PostTwilioAsync(route, InboundText("hello?"));

        (await optedOut.Content.ReadAsStringAsync()).Should().EndWith("<Response/>");
        (await off.Content.ReadAsStringAsync()).Should().EndWith("<Response/>");
    }

    [Theory]
    [InlineData(Inbound)]
    [InlineData(LegacyInbound)]
    public async Task A_forged_inbound_STOP_is_refused_and_does_not_opt_the_patient_out(string route)
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.PostTwilioAsync(route, InboundText("STOP"), sign: false);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await world.Services.GetRequiredService<IOptOutService>().IsOptedOutAsync(WebWorld.Trust, WebWorld.JaneMobile)).Should().BeFalse();
    }

    [Theory]
    [InlineData(Status)]
    [InlineData(LegacyStatus)]
    public async Task Without_Twilio_registered_the_webhooks_are_not_mapped(string route)
    {
        await using var world = await WebWorld.StartAsync(withTwilio: false);

        using var response = await world.PostTwilioAsync(route, [new("MessageSid", "SM1"), new("MessageStatus", "delivered")]);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_callback_signed_for_the_address_the_app_sees_rather_than_the_public_url_is_refused()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);
        var fields = StatusCallback(message, "delivered");

        // The app is reached at http://localhost (its Host header); Twilio signs the public URL, so only that counts.
        using var response = await world.PostTwilioAsync(Status, fields, world.Twilio.ComputeSignature("http://localhost/m/" + Status, fields));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await world.MessageAsync(message.Id)).Status.Should().Be(DeliveryStatus.Sent);
    }

    [Theory]
    [InlineData("sms/twilio/inbound/no-such-trust")]
    [InlineData("twilio/inbound/no-such-trust")]
    public async Task An_inbound_text_to_an_unknown_organisation_is_refused_with_404_and_logged_without_the_number_or_text(string route)
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.PostTwilioAsync(route, InboundText("STOP right now", from: "+447400123456"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await world.Services.GetRequiredService<IOptOutService>().IsOptedOutAsync(new OrganisationId("no-such-trust"), WebWorld.JaneMobile)).Should().BeFalse();
        world.Logs.AllText.Should().Contain("no-such-trust").And.Contain("no such organisation");
        world.Logs.AllText.Should().NotContain("7400123456").And.NotContain("STOP right now").And.NotContain("+447700900123");
    }

    [Fact]
    public async Task An_unsigned_text_to_an_unknown_organisation_is_refused_with_403_so_it_learns_nothing()
    {
        await using var world = await WebWorld.StartAsync();

        using var response = await world.PostTwilioAsync("sms/twilio/inbound/no-such-trust", InboundText("hello"), sign: false);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_rotated_auth_token_is_used_as_soon_as_the_configuration_reloads_without_rebuilding_the_host()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Your appointment is on Monday.", allowReply: false);
        var rotated = new TwilioRequestValidator("the-rotated-auth-token-fedcba9876543210");

        using var beforeWithNew = await world.PostTwilioAsync(Status, StatusCallback(message, "sent"), rotated);
        world.TwilioConfiguration["Messaging:Twilio:AuthToken"] = "the-rotated-auth-token-fedcba9876543210";
        world.TwilioConfiguration.Reload();
        using var afterWithOld = await world.PostTwilioAsync(Status, StatusCallback(message, "delivered"));
        using var afterWithNew = await world.PostTwilioAsync(Status, StatusCallback(message, "delivered"), rotated);

        beforeWithNew.StatusCode.Should().Be(HttpStatusCode.Forbidden, "before the reload only the old token signs");
        afterWithOld.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the old token is refused once the configuration reloads");
        afterWithNew.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await world.MessageAsync(message.Id)).Status.Should().Be(DeliveryStatus.Delivered);
    }

    [Fact]
    public async Task A_deprecated_path_still_works_and_logs_that_it_is_deprecated()
    {
        await using var world = await WebWorld.StartAsync();
        var (message, _) = await world.SendSmsAsync("Hello", allowReply: false);

        using var response = await world.PostTwilioAsync(LegacyStatus, StatusCallback(message, "delivered"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        world.Logs.AllText.Should().Contain("deprecated path twilio/status");
    }
}
