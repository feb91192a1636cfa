namespace Messaging;

/// <summary>Sending to patients through the transactional outbox (R10, R13, R14, R15, R20, R24).</summary>
/// <remarks>
/// A send validates, checks opt-out, charges credits and writes the message with its outbox record in one unit of
/// work, then returns at once with the message <see cref="DeliveryStatus.Queued"/>; the outbox dispatcher hands it
/// to the provider. A send that is refused writes nothing and costs nothing.
/// </remarks>
public interface IMessageService
{
    /// <summary>Queues a message to a patient.</summary>
    Task<Message> SendAsync(StaffId actor, SendMessageRequest request, CancellationToken cancellationToken = default);

    /// <summary>A conversation's messages, oldest first.</summary>
    Task<IReadOnlyList<Message>> ListAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default);
}
