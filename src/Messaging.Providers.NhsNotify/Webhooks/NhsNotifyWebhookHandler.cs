using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Providers.NhsNotify.Webhooks;

/// <summary>
/// NHS Notify's callbacks for the SDK's web package (R27): <c>message_status</c> and <c>channel_status</c> callbacks, both
/// posted as JSON:API to <c>sms/nhs-notify/status</c>, authenticated by <c>x-api-key</c> and
/// <c>x-hmac-sha256-signature</c> (<see cref="NhsNotifyCallbackSignature"/>) with the credentials read per request.
/// </summary>
/// <remarks>
/// <para>Each report names its message by <c>messageReference</c> (the SDK's idempotency key, which is also the provider
/// message id this package returns; see <see cref="Sending.NhsNotifySender"/>). NHS Notify delivers callbacks out of order
/// and retries them for two hours with the same <c>meta.idempotencyKey</c>: a repeat parses to an equal update, which
/// the forward-only rule (R13) applies once.</para>
/// <para>NHS Notify has no inbound texts: <see cref="ParseInboundText"/> refuses.</para>
/// </remarks>
internal sealed class NhsNotifyWebhookHandler(NhsNotifyRegistration registration, IOptionsMonitor<NhsNotifyOptions> options, ILogger<NhsNotifyWebhookHandler> logger) : IProviderWebhookHandler
{
    private static readonly ProviderWebhookResponse Accepted = new(202);

    /// <summary>The registration's name (R26): its callbacks arrive at <c>sms/{name}/status</c>, checked with its own key.</summary>
    public string Name => registration.Name;

    public IReadOnlyList<ProviderWebhookRoute> Routes { get; } =
    [
        new(ProviderWebhookKind.Status, ProviderWebhookRoutes.Status(registration.Name)) { Content = ProviderWebhookContent.Raw },
    ];

    public ValueTask<bool> AuthenticateAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = options.Get(registration.OptionsName);
        if (string.IsNullOrEmpty(current.ApiKey) || string.IsNullOrEmpty(current.ApplicationId))
        {
            return ValueTask.FromResult(false);
        }

        var key = request.Headers.TryGetValue(NhsNotifyCallbackSignature.ApiKeyHeader, out var k) ? k : null;
        var signature = request.Headers.TryGetValue(NhsNotifyCallbackSignature.SignatureHeader, out var s) ? s : null;
        return ValueTask.FromResult(NhsNotifyCallbackSignature.IsValid(current.ApplicationId, current.ApiKey, request.Body.Span, key, signature));
    }

    public IReadOnlyList<DeliveryStatusUpdate> ParseStatusReports(ProviderWebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException)
        {
            throw Invalid("The NHS Notify callback body is not JSON.", "body");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("The NHS Notify callback has no 'data' array.", "data");
            }

            var updates = new List<DeliveryStatusUpdate>(data.GetArrayLength());
            foreach (var item in data.EnumerateArray())
            {
                if (Parse(item) is { } update)
                {
                    updates.Add(update);
                }
            }

            return updates;
        }
    }

    private DeliveryStatusUpdate? Parse(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("An NHS Notify callback item is not an object.", "data");
        }

        var type = String(item, "type") ?? throw Invalid("An NHS Notify callback item has no 'type'.", "type");
        if (!item.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("An NHS Notify callback item has no 'attributes'.", "attributes");
        }

        var reference = String(attributes, "messageReference") ?? throw Invalid("An NHS Notify callback has no 'messageReference'.", "messageReference");
        switch (type)
        {
            case "MessageStatus":
            {
                var word = String(attributes, "messageStatus") ?? throw Invalid("An NHS Notify message status callback has no 'messageStatus'.", "messageStatus");
                var status = MapMessageStatus(word);
                if (status is null)
                {
                    Log.StatusUntracked(logger, reference, word);
                    return null;
                }

                return Update(reference, status.Value, word, String(attributes, "messageFailureReasonCode"));
            }

            case "ChannelStatus":
            {
                var word = String(attributes, "channelStatus") ?? throw Invalid("An NHS Notify channel status callback has no 'channelStatus'.", "channelStatus");
                var supplier = String(attributes, "supplierStatus");
                var status = MapChannelStatus(word, supplier);
                if (status is null)
                {
                    Log.StatusUntracked(logger, reference, word);
                    return null;
                }

                // The supplier's own word is the most precise raw status (e.g. permanent_failure); the channel's otherwise.
                return Update(reference, status.Value, supplier ?? word, String(attributes, "channelFailureReasonCode"));
            }

            default:
                throw Invalid("An NHS Notify callback item has a 'type' other than MessageStatus or ChannelStatus.", "type");
        }
    }

    /// <summary>
    /// A <c>message_status</c>: <c>created</c>, <c>pending_enrichment</c>, <c>enriched</c> and <c>sending</c> are Sent (NHS
    /// Notify has the message), <c>delivered</c> is Delivered, <c>failed</c> (no channel of the routing plan reached the
    /// recipient) is Failed; any other word is not tracked.
    /// </summary>
    internal static DeliveryStatus? MapMessageStatus(string word) => word switch
    {
        "created" or "pending_enrichment" or "enriched" or "sending" => DeliveryStatus.Sent,
        "delivered" => DeliveryStatus.Delivered,
        "failed" => DeliveryStatus.Failed,
        _ => null,
    };

    /// <summary>
    /// A <c>channel_status</c>: <c>created</c> and <c>sending</c> are Sent, <c>delivered</c> is Delivered; <c>failed</c> is
    /// Undelivered when the supplier reached the recipient's network and could not deliver (<c>permanent_failure</c>,
    /// <c>temporary_failure</c>), Failed otherwise (e.g. <c>technical_failure</c>); <c>skipped</c> (the channel was not
    /// used) is not tracked.
    /// </summary>
    internal static DeliveryStatus? MapChannelStatus(string word, string? supplierStatus) => word switch
    {
        "created" or "sending" => DeliveryStatus.Sent,
        "delivered" => DeliveryStatus.Delivered,
        "failed" => supplierStatus is "permanent_failure" or "temporary_failure" ? DeliveryStatus.Undelivered : DeliveryStatus.Failed,
        _ => null,
    };

    private DeliveryStatusUpdate Update(string reference, DeliveryStatus status, string raw, string? errorCode)
        => new(Name, reference, status, raw, errorCode) { IdempotencyKey = reference };

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static MessagingValidationException Invalid(string message, string field) => new(MessagingErrorCodes.Required, message, field);

    public InboundSms ParseInboundText(ProviderWebhookRequest request)
        => throw new MessagingValidationException(MessagingErrorCodes.ChannelNotSupported, "NHS Notify does not deliver inbound texts.");

    public ProviderWebhookResponse CreateInboundResponse(string? reply) => Accepted;
}
