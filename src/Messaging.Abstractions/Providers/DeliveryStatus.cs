namespace Messaging;

/// <summary>
/// Where an outbound message is on its way to the recipient (R13):
/// <c>Queued → Sending → Sent → Delivered | Undelivered | Failed</c>. Status only moves forward.
/// </summary>
public enum DeliveryStatus
{
    /// <summary>Accepted by the SDK and waiting in the outbox.</summary>
    Queued = 0,

    /// <summary>Claimed by a dispatcher and being handed to the provider.</summary>
    Sending = 1,

    /// <summary>Accepted by the provider, which is delivering it.</summary>
    Sent = 2,

    /// <summary>The provider reports it reached the recipient. Final.</summary>
    Delivered = 3,

    /// <summary>The provider could not deliver it (e.g. the handset was off for too long). Final.</summary>
    Undelivered = 4,

    /// <summary>It could not be sent (a permanent provider error, or retries exhausted). Final.</summary>
    Failed = 5,
}

/// <summary>
/// A delivery report from a provider (e.g. a Twilio status callback), applied to a message by the SDK
/// under the forward-only rule of R13. Applying the same report twice changes nothing.
/// </summary>
/// <param name="ProviderName">The provider that sent the message (see <see cref="ISmsProvider.Name"/>).</param>
/// <param name="ProviderMessageId">The provider's id of the message, as returned when it was sent.</param>
/// <param name="Status">The status the report maps to.</param>
/// <param name="RawStatus">The provider's own status word, kept as is (e.g. <c>delivered</c>).</param>
/// <param name="ErrorCode">The provider's error code, if the report carries one (e.g. Twilio's <c>30003</c>).</param>
public sealed record DeliveryStatusUpdate(
    string ProviderName,
    string ProviderMessageId,
    DeliveryStatus Status,
    string RawStatus,
    string? ErrorCode = null)
{
    /// <summary>
    /// The idempotency key the SDK sent with the message, when the report carries it (the SDK puts it in each message's
    /// status callback URL, <see cref="ProviderWebhookRoutes.StatusFor"/>). A report that arrives before the SDK stored
    /// <see cref="ProviderMessageId"/> finds its message by it, and records the provider's id on it.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>An SMS a patient sent to one of the organisation's numbers, as parsed from a provider webhook.</summary>
/// <param name="ProviderName">The provider that received it.</param>
/// <param name="ProviderMessageId">The provider's id of the inbound message (used to ignore duplicates).</param>
/// <param name="From">The sender's number.</param>
/// <param name="To">The organisation's number it was sent to.</param>
/// <param name="Body">The text. Patient data: never log it.</param>
public sealed record InboundSms(
    string ProviderName,
    string ProviderMessageId,
    PhoneNumber From,
    PhoneNumber To,
    string Body)
{
    /// <summary>Ids only: the body and numbers are patient data (R22).</summary>
    public override string ToString() => $"InboundSms {{ ProviderName = {ProviderName}, ProviderMessageId = {ProviderMessageId} }}";
}
