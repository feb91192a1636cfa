namespace Messaging.Providers.Twilio.Webhooks;

/// <summary>
/// Turns the form fields of Twilio's webhooks into the SDK's records: a status callback into a
/// <see cref="DeliveryStatusUpdate"/> for <see cref="IDeliveryStatusService"/> (R13), an inbound SMS into an
/// <see cref="InboundSms"/> for the patient-reply and STOP/START handling (<see cref="IOptOutService"/>, R14).
/// </summary>
/// <remarks>
/// <para>Pure functions: no I/O, no logging, no state. Check the signature with <see cref="TwilioRequestValidator"/>
/// first; these methods trust their input only as far as its shape.</para>
/// <para>Parsing the same callback twice gives equal records, so a callback Twilio repeats is recognised as a repeat
/// (the delivery-status service ignores it, R13).</para>
/// </remarks>
public static class TwilioWebhookParser
{
    /// <summary>
    /// Reads a message status callback (<c>MessageSid</c>, <c>MessageStatus</c>, optional <c>ErrorCode</c>; the legacy
    /// <c>SmsSid</c> and <c>SmsStatus</c> are read when the new names are absent).
    /// </summary>
    /// <param name="form">The callback's form fields.</param>
    /// <returns>
    /// The update, keeping Twilio's raw status and error code; or <see langword="null"/> when the status is one the SDK
    /// does not track (such as <c>receiving</c>, or a status Twilio adds later): answer Twilio 2xx and ignore it, since
    /// a 4xx would only make Twilio retry.
    /// </returns>
    /// <exception cref="MessagingValidationException"><c>MessageSid</c> or <c>MessageStatus</c> is missing (code <see cref="MessagingErrorCodes.Required"/>).</exception>
    public static DeliveryStatusUpdate? ParseStatusCallback(IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var fields = Fields.From(form);
        var sid = fields.Required("MessageSid", "SmsSid");
        var rawStatus = fields.Required("MessageStatus", "SmsStatus");
        var errorCode = fields.Optional("ErrorCode");

        return MapStatus(rawStatus) is { } status
            ? new DeliveryStatusUpdate(TwilioSmsOptions.ProviderName, sid, status, rawStatus, errorCode)
            : null;
    }

    /// <summary>Reads an inbound SMS webhook (<c>MessageSid</c>, <c>From</c>, <c>To</c>, <c>Body</c>).</summary>
    /// <param name="form">The webhook's form fields.</param>
    /// <returns>The message; its body is patient data (never log it). A missing <c>Body</c> (e.g. a picture message) is empty.</returns>
    /// <exception cref="MessagingValidationException">
    /// <c>MessageSid</c>, <c>From</c> or <c>To</c> is missing (code <see cref="MessagingErrorCodes.Required"/>), or
    /// <c>From</c> or <c>To</c> is not an E.164 number (code <see cref="MessagingErrorCodes.InvalidPhoneNumber"/>), e.g. a
    /// WhatsApp address or a short code, which this SMS provider does not handle. Messages never quote the number.
    /// </exception>
    public static InboundSms ParseInboundMessage(IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var fields = Fields.From(form);
        var sid = fields.Required("MessageSid", "SmsMessageSid", "SmsSid");
        var from = Number(fields.Required("From"), "From");
        var to = Number(fields.Required("To"), "To");
        var body = fields.Raw("Body");
        return new InboundSms(TwilioSmsOptions.ProviderName, sid, from, to, body);
    }

    /// <summary>
    /// Maps Twilio's message status onto R13's: <c>accepted</c>, <c>scheduled</c>, <c>queued</c> → Queued;
    /// <c>sending</c> → Sending; <c>sent</c> → Sent; <c>delivered</c>, <c>read</c> → Delivered; <c>undelivered</c> →
    /// Undelivered; <c>failed</c>, <c>canceled</c> → Failed. Case-insensitive.
    /// </summary>
    /// <param name="twilioStatus">Twilio's status word.</param>
    /// <returns>The status, or <see langword="null"/> for any other word (e.g. the inbound <c>receiving</c> and <c>received</c>).</returns>
    public static DeliveryStatus? MapStatus(string? twilioStatus) => twilioStatus?.Trim().ToLowerInvariant() switch
    {
        "accepted" or "scheduled" or "queued" => DeliveryStatus.Queued,
        "sending" => DeliveryStatus.Sending,
        "sent" => DeliveryStatus.Sent,
        "delivered" or "read" => DeliveryStatus.Delivered,
        "undelivered" => DeliveryStatus.Undelivered,
        "failed" or "canceled" => DeliveryStatus.Failed,
        _ => null,
    };

    private static PhoneNumber Number(string value, string field)
        => PhoneNumber.TryFromE164(value, out var number)
            ? number
            : throw new MessagingValidationException(
                MessagingErrorCodes.InvalidPhoneNumber,
                $"The Twilio webhook field '{field}' is not an E.164 phone number.",
                field);

    /// <summary>The first value of each field name (ordinal): Twilio sends each once.</summary>
    private readonly struct Fields
    {
        private readonly Dictionary<string, string> _values;

        private Fields(Dictionary<string, string> values) => _values = values;

        public static Fields From(IEnumerable<KeyValuePair<string, string>> form)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in form)
            {
                if (name is not null)
                {
                    values.TryAdd(name, value ?? string.Empty);
                }
            }

            return new Fields(values);
        }

        public string Raw(string name) => _values.TryGetValue(name, out var value) ? value : string.Empty;

        public string? Optional(string name)
            => _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public string Required(string name, params string[] legacyNames)
        {
            if (Optional(name) is { } value)
            {
                return value;
            }

            foreach (var legacy in legacyNames)
            {
                if (Optional(legacy) is { } old)
                {
                    return old;
                }
            }

            throw new MessagingValidationException(MessagingErrorCodes.Required, $"The Twilio webhook has no '{name}' field.", name);
        }
    }
}
