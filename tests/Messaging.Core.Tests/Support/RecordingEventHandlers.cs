using System.Collections.Concurrent;
using Messaging.Storage;

namespace Messaging.Tests.Support;

/// <summary>Every event raised, in order, with whether the change it describes was visible in the store at that moment.</summary>
public sealed class EventSink
{
    private readonly ConcurrentQueue<(MessagingEvent Event, bool Committed)> _events = new();

    public IReadOnlyList<MessagingEvent> Events => [.. _events.Select(e => e.Event)];

    public IReadOnlyList<(MessagingEvent Event, bool Committed)> Observed => [.. _events];

    public void Add(MessagingEvent e, bool committed) => _events.Enqueue((e, committed));
}

/// <summary>Records every event and checks, while handling it, that the change is already readable from the store.</summary>
public sealed class RecordingHandler(EventSink sink, IMessagingStore store) : IMessagingEventHandler<MessagingEvent>
{
    public async Task HandleAsync(MessagingEvent messagingEvent, CancellationToken cancellationToken)
    {
        var committed = messagingEvent switch
        {
            MessageQueued e => await store.GetMessageAsync(e.MessageId, cancellationToken) is { Status: DeliveryStatus.Queued },
            MessageSent e => await store.GetMessageAsync(e.MessageId, cancellationToken) is { Status: DeliveryStatus.Sent },
            MessageDelivered e => await store.GetMessageAsync(e.MessageId, cancellationToken) is { Status: DeliveryStatus.Delivered },
            MessageFailed e => (await store.GetMessageAsync(e.MessageId, cancellationToken))?.Status == e.Status,
            PatientReplied e => await store.GetMessageAsync(e.MessageId, cancellationToken) is { Direction: MessageDirection.Inbound },
            _ => true,
        };
        sink.Add(messagingEvent, committed);
    }
}

/// <summary>Throws on every message queued: a broken host handler.</summary>
public sealed class ThrowingHandler : IMessagingEventHandler<MessageQueued>, IMessagingEventHandler<MessageSent>
{
    public Task HandleAsync(MessageQueued messagingEvent, CancellationToken cancellationToken)
        => throw new InvalidOperationException("The host's handler is broken.");

    public Task HandleAsync(MessageSent messagingEvent, CancellationToken cancellationToken)
        => throw new InvalidOperationException("The host's handler is broken.");
}
