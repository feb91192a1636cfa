using Messaging.Providers.Twilio.Webhooks;

namespace Messaging.Providers.Twilio.Tests.Webhooks;

/// <summary>Status callbacks into R13 updates, inbound SMS into InboundSms.</summary>
public sealed class WebhookParserTests
{
    private const string Sid = "SM0123456789abcdef0123456789abcdef";

    private static KeyValuePair<string, string>[] StatusCallback(string status, string? errorCode = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
            new("ApiVersion", "2010-04-01"),
            new("From", "+447700900001"),
            new("To", "+447700900123"),
            new("MessageSid", Sid),
            new("SmsSid", Sid),
            new("MessageStatus", status),
            new("SmsStatus", status),
        };
        if (errorCode is not null)
        {
            fields.Add(new("ErrorCode", errorCode));
        }

        return [.. fields];
    }

    [Theory]
    [InlineData("accepted", DeliveryStatus.Queued)]
    [InlineData("scheduled", DeliveryStatus.Queued)]
    [InlineData("queued", DeliveryStatus.Queued)]
    [InlineData("sending", DeliveryStatus.Sending)]
    [InlineData("sent", DeliveryStatus.Sent)]
    [InlineData("delivered", DeliveryStatus.Delivered)]
    [InlineData("read", DeliveryStatus.Delivered)]
    [InlineData("undelivered", DeliveryStatus.Undelivered)]
    [InlineData("failed", DeliveryStatus.Failed)]
    [InlineData("canceled", DeliveryStatus.Failed)]
    [InlineData("Delivered", DeliveryStatus.Delivered)]
    public void Twilio_statuses_map_onto_the_SDKs(string twilioStatus, DeliveryStatus expected)
    {
        var update = TwilioWebhookParser.ParseStatusCallback(StatusCallback(twilioStatus));

        update.Should().Be(new DeliveryStatusUpdate("twilio", Sid, expected, twilioStatus));
    }

    [Fact]
    public void An_undelivered_callback_keeps_the_raw_status_and_Twilios_error_code()
    {
        var update = TwilioWebhookParser.ParseStatusCallback(StatusCallback("undelivered", "30003"));

        update.Should().Be(new DeliveryStatusUpdate("twilio", Sid, DeliveryStatus.Undelivered, "undelivered", "30003"));
    }

    [Fact]
    public void A_repeated_callback_yields_the_same_update()
    {
        var first = TwilioWebhookParser.ParseStatusCallback(StatusCallback("delivered"));
        var repeat = TwilioWebhookParser.ParseStatusCallback(StatusCallback("delivered").Reverse());

        repeat.Should().Be(first);
    }

    [Theory]
    [InlineData("receiving")]
    [InlineData("received")]
    [InlineData("partially_delivered")]
    [InlineData("something_new")]
    public void An_unknown_status_yields_no_update(string status)
        => TwilioWebhookParser.ParseStatusCallback(StatusCallback(status)).Should().BeNull();

    [Fact]
    public void The_legacy_SmsSid_and_SmsStatus_fields_are_read_when_the_new_ones_are_absent()
    {
        KeyValuePair<string, string>[] legacy = [new("SmsSid", Sid), new("SmsStatus", "sent")];

        TwilioWebhookParser.ParseStatusCallback(legacy).Should().Be(new DeliveryStatusUpdate("twilio", Sid, DeliveryStatus.Sent, "sent"));
    }

    [Theory]
    [InlineData("MessageSid")]
    [InlineData("MessageStatus")]
    public void A_callback_missing_its_sid_or_status_is_a_validation_error_naming_the_field(string missing)
    {
        var fields = StatusCallback("sent").Where(f => f.Key != missing && f.Key != "Sms" + missing[7..]);

        var act = () => TwilioWebhookParser.ParseStatusCallback(fields);

        act.Should().Throw<MessagingValidationException>()
            .Where(e => e.ErrorCode == MessagingErrorCodes.Required && e.Field == missing);
    }

    [Fact]
    public void An_inbound_sms_is_read_with_its_body_kept_as_sent()
    {
        KeyValuePair<string, string>[] form =
        [
            new("ToCountry", "GB"),
            new("SmsMessageSid", "SMfedcba9876543210fedcba9876543210"),
            new("NumMedia", "0"),
            new("MessageSid", "SMfedcba9876543210fedcba9876543210"),
            new("From", "+447700900123"),
            new("To", "+447700900001"),
            new("Body", "  Thanks, see you Tuesday \n"),
            new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ];

        var sms = TwilioWebhookParser.ParseInboundMessage(form);

        sms.Should().Be(new InboundSms(
            "twilio",
            "SMfedcba9876543210fedcba9876543210",
            PhoneNumber.FromE164("+447700900123"),
            PhoneNumber.FromE164("+447700900001"),
            "  Thanks, see you Tuesday \n"));
    }

    [Fact]
    public void An_inbound_picture_message_without_a_body_has_an_empty_body()
    {
        KeyValuePair<string, string>[] form = [new("MessageSid", Sid), new("From", "+447700900123"), new("To", "+447700900001"), new("NumMedia", "1")];

        TwilioWebhookParser.ParseInboundMessage(form).Body.Should().BeEmpty();
    }

    [Fact]
    public void An_inbound_message_from_a_non_E164_sender_is_refused_without_quoting_it()
    {
        KeyValuePair<string, string>[] form = [new("MessageSid", Sid), new("From", "whatsapp:+447700900123"), new("To", "+447700900001"), new("Body", "hi")];

        var act = () => TwilioWebhookParser.ParseInboundMessage(form);

        act.Should().Throw<MessagingValidationException>()
            .Where(e => e.ErrorCode == MessagingErrorCodes.InvalidPhoneNumber && e.Field == "From" && !e.Message.Contains("7700900123"));
    }

    [Fact]
    public void An_inbound_message_without_a_sid_is_a_validation_error()
    {
        KeyValuePair<string, string>[] form = [new("From", "+447700900123"), new("To", "+447700900001"), new("Body", "hi")];

        var act = () => TwilioWebhookParser.ParseInboundMessage(form);

        act.Should().Throw<MessagingValidationException>().Where(e => e.Field == "MessageSid");
    }
}
