namespace Messaging;

/// <summary>
/// Receives the SDK's in-process events of type <typeparamref name="TEvent"/> (R25). Register implementations in the
/// host's service collection (e.g. with <c>AddEventHandler&lt;THandler&gt;()</c> on the messaging builder); implement
/// <c>IMessagingEventHandler&lt;MessagingEvent&gt;</c> to receive every event.
/// </summary>
/// <remarks>
/// <para>Handlers are resolved from a new DI scope per event and called one after another, after the change has
/// committed. Each is isolated: an exception is logged and swallowed, so it neither undoes the change nor stops the
/// other handlers. A handler runs on the caller's path (e.g. inside <c>SendAsync</c>), so keep it short and hand slow
/// work to a queue of the host's.</para>
/// <para>Handlers may be called concurrently for different events.</para>
/// </remarks>
/// <typeparam name="TEvent">The event type.</typeparam>
public interface IMessagingEventHandler<in TEvent>
    where TEvent : MessagingEvent
{
    /// <summary>Handles one event.</summary>
    /// <param name="messagingEvent">The event.</param>
    /// <param name="cancellationToken">The cancellation token of the operation that raised the event.</param>
    Task HandleAsync(TEvent messagingEvent, CancellationToken cancellationToken);
}
