using NodaTime;

namespace Messaging;

/// <summary>
/// A message waiting to be handed to its provider (R20). Written in the same unit of work as the message, claimed
/// by one dispatcher at a time under a lease, and removed once the provider has answered for good.
/// </summary>
/// <param name="MessageId">
/// The message; or, for a staff notification's email (R9, R17), the notification's id (<see cref="NotificationId.Value"/>
/// as a <see cref="Messaging.MessageId"/>): the SDK queues that email in the unit of work that adds the notification,
/// and the dispatcher sends it like a message. A store treats both alike.
/// </param>
/// <param name="Attempts">How many times a provider has been tried.</param>
/// <param name="NextAttemptAt">When it is next due.</param>
/// <param name="LeaseOwner">The dispatcher instance holding it, if claimed.</param>
/// <param name="LeaseExpiresAt">When that claim lapses and another instance may take it.</param>
public sealed record OutboxEntry(MessageId MessageId, int Attempts, Instant NextAttemptAt, string? LeaseOwner = null, Instant? LeaseExpiresAt = null);
