using Messaging.Events;
using Messaging.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Messaging.Sending;

/// <summary>R13: status only moves forward; a repeat or a late, older report changes nothing; raw status and code are kept.</summary>
internal sealed class DeliveryStatusService(IMessagingStore store, IClock clock, MessagingEventPublisher events, ILogger<DeliveryStatusService> logger) : IDeliveryStatusService
{
    private const int MaxRaces = 5;

    /// <summary>Queued, Sending, Sent, then the three final states, which nothing follows.</summary>
    internal static int Rank(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => 0,
        DeliveryStatus.Sending => 1,
        DeliveryStatus.Sent => 2,
        _ => 3,
    };

    public async Task<DeliveryUpdateOutcome> ApplyAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        for (var race = 0; ; race++)
        {
            var message = await store.FindMessageByProviderIdAsync(update.ProviderName, update.ProviderMessageId, cancellationToken).ConfigureAwait(false)
                ?? await FindEarlyAsync(update, cancellationToken).ConfigureAwait(false);
            if (message is null)
            {
                return DeliveryUpdateOutcome.UnknownMessage;
            }

            if (Rank(update.Status) <= Rank(message.Status))
            {
                return DeliveryUpdateOutcome.Ignored;
            }

            var updated = message with
            {
                Status = update.Status,
                ProviderStatus = update.RawStatus,
                ErrorCode = update.ErrorCode ?? message.ErrorCode,
                ProviderName = message.ProviderName ?? update.ProviderName,
                ProviderMessageId = message.ProviderMessageId ?? update.ProviderMessageId,
                UpdatedAt = clock.GetCurrentInstant(),
                Version = message.Version + 1,
            };

            try
            {
                await store.WriteAsync(work => work.UpdateMessage(updated, message.Version), cancellationToken).ConfigureAwait(false);
                Log.StatusApplied(logger, message.Id, update.Status, update.RawStatus, update.ProviderName);
                if (MessageEvents.StatusChanged(updated) is { } changed)
                {
                    await events.PublishAsync(changed, cancellationToken).ConfigureAwait(false);
                }

                return DeliveryUpdateOutcome.Applied;
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict && race < MaxRaces)
            {
                // Another report (or the dispatcher) moved the message meanwhile: read it again and re-decide.
            }
        }
    }

    /// <summary>
    /// A report that came before the dispatcher stored the provider's id (the provider called back between accepting the
    /// message and answering the SDK): its message, found by the idempotency key the SDK put in the callback URL, if that
    /// is an outbound message with no provider id yet, sent through no other provider. Anything else — no key, a key that
    /// names no message, a message that already has another provider id — finds nothing, and the report is ignored.
    /// </summary>
    private async Task<Message?> FindEarlyAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken)
    {
        if (!MessageId.TryParse(update.IdempotencyKey, out var id))
        {
            return null;
        }

        var message = await store.GetMessageAsync(id, cancellationToken).ConfigureAwait(false);
        return message is { Direction: MessageDirection.Outbound, ProviderMessageId: null }
               && (message.Channel == MessageChannel.Sms || message.Channel == MessageChannel.Email)
               && (message.ProviderName is null || string.Equals(message.ProviderName, update.ProviderName, StringComparison.Ordinal))
            ? message
            : null;
    }
}
