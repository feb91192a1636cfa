using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.Events;

/// <summary>
/// Raises <see cref="MessagingEvent"/>s to the host's handlers (R25). Services call it only after their unit of work
/// has committed, so a handler never hears of a change that did not happen. It never throws: each handler's failure
/// is logged and the next handler still runs.
/// </summary>
internal sealed class MessagingEventPublisher(IServiceScopeFactory scopes, ILogger<MessagingEventPublisher> logger)
{
    /// <summary>
    /// Hands the event to the handlers of its own type, then of <see cref="MessageEvent"/> (for message events), then of
    /// <see cref="MessagingEvent"/>, all resolved from one new scope.
    /// </summary>
    public Task PublishAsync(MessagingEvent messagingEvent, CancellationToken cancellationToken) => messagingEvent switch
    {
        MessageQueued e => PublishCoreAsync(e, cancellationToken),
        MessageSent e => PublishCoreAsync(e, cancellationToken),
        MessageDelivered e => PublishCoreAsync(e, cancellationToken),
        MessageFailed e => PublishCoreAsync(e, cancellationToken),
        PatientReplied e => PublishCoreAsync(e, cancellationToken),
        DirectMessageUnlocked e => PublishCoreAsync(e, cancellationToken),
        OptOutChanged e => PublishCoreAsync(e, cancellationToken),
        CreditBalanceLow e => PublishCoreAsync(e, cancellationToken),
        MessageEvent e => PublishCoreAsync(e, cancellationToken),
        _ => PublishCoreAsync(messagingEvent, cancellationToken),
    };

    private async Task PublishCoreAsync<TEvent>(TEvent messagingEvent, CancellationToken cancellationToken)
        where TEvent : MessagingEvent
    {
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                await DispatchAsync(scope.ServiceProvider, messagingEvent, cancellationToken).ConfigureAwait(false);
                if (messagingEvent is MessageEvent messageEvent && typeof(TEvent) != typeof(MessageEvent))
                {
                    await DispatchAsync(scope.ServiceProvider, messageEvent, cancellationToken).ConfigureAwait(false);
                }

                if (typeof(TEvent) != typeof(MessagingEvent))
                {
                    await DispatchAsync<MessagingEvent>(scope.ServiceProvider, messagingEvent, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            // Creating or disposing the scope failed (e.g. a handler's Dispose threw): the change stands regardless.
            Log.EventHandlerFailed(logger, e, messagingEvent.GetType().Name, "(scope)");
        }
    }

    private async Task DispatchAsync<TEvent>(IServiceProvider services, TEvent messagingEvent, CancellationToken cancellationToken)
        where TEvent : MessagingEvent
    {
        List<IMessagingEventHandler<TEvent>> handlers;
        try
        {
            handlers = [.. services.GetServices<IMessagingEventHandler<TEvent>>()];
        }
        catch (Exception e)
        {
            Log.EventHandlerFailed(logger, e, messagingEvent.GetType().Name, typeof(IMessagingEventHandler<TEvent>).Name);
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler.HandleAsync(messagingEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.EventHandlerFailed(logger, e, messagingEvent.GetType().Name, handler.GetType().FullName ?? handler.GetType().Name);
            }
        }
    }
}

/// <summary>Builds the events of a message from the stored record: ids and states only.</summary>
internal static class MessageEvents
{
    public static MessageQueued Queued(Message m)
        => new(m.OrganisationId, m.WorkspaceId, m.ConversationId, m.Id, m.PatientId, m.Channel, m.SentBy!.Value, m.UpdatedAt);

    public static PatientReplied Replied(Message reply, MessageId inReplyTo)
        => new(reply.OrganisationId, reply.WorkspaceId, reply.ConversationId, reply.Id, reply.PatientId, reply.Channel, inReplyTo, reply.CreatedAt);

    /// <summary>The event a new delivery status raises, if any: sent, delivered, or failed/undelivered.</summary>
    public static MessageEvent? StatusChanged(Message m) => m.Status switch
    {
        DeliveryStatus.Sent => new MessageSent(m.OrganisationId, m.WorkspaceId, m.ConversationId, m.Id, m.PatientId, m.Channel, m.ProviderName, m.UpdatedAt),
        DeliveryStatus.Delivered => new MessageDelivered(m.OrganisationId, m.WorkspaceId, m.ConversationId, m.Id, m.PatientId, m.Channel, m.UpdatedAt),
        DeliveryStatus.Failed or DeliveryStatus.Undelivered
            => new MessageFailed(m.OrganisationId, m.WorkspaceId, m.ConversationId, m.Id, m.PatientId, m.Channel, m.Status, m.ErrorCode, m.UpdatedAt),
        _ => null,
    };
}
