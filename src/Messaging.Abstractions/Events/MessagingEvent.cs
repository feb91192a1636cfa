using NodaTime;

namespace Messaging;

/// <summary>
/// Something that happened in the SDK, raised in-process to the host's <see cref="IMessagingEventHandler{TEvent}"/>s
/// after the change it describes has committed (R25), e.g. to file a message in the patient's record or to update a
/// status badge.
/// </summary>
/// <remarks>
/// <para>Events carry ids and states only, never patient data (no bodies, numbers, addresses or names): a handler that
/// needs the message reads it through the SDK's services with the acting staff member's rights.</para>
/// <para>Delivery is in-process and at most once: an event is raised once per committed change, after the commit, and
/// is lost if the process stops between the commit and the handler. A host that must not miss one reconciles from the
/// patient history (<see cref="IPatientHistoryService"/>), which is the source of truth.</para>
/// </remarks>
/// <param name="OrganisationId">The organisation the change belongs to.</param>
/// <param name="OccurredAt">When the change was made (the SDK's clock).</param>
public abstract record MessagingEvent(OrganisationId OrganisationId, Instant OccurredAt);

/// <summary>An event about one message of a patient conversation.</summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="WorkspaceId">The workspace of the conversation.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The message.</param>
/// <param name="PatientId">The patient the conversation is with.</param>
/// <param name="Channel">The message's channel.</param>
/// <param name="OccurredAt">When the change was made.</param>
public abstract record MessageEvent(
    OrganisationId OrganisationId,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    MessageId MessageId,
    PatientId PatientId,
    MessageChannel Channel,
    Instant OccurredAt)
    : MessagingEvent(OrganisationId, OccurredAt);

/// <summary>Staff sent a message: it is stored and waits in the outbox (<see cref="DeliveryStatus.Queued"/>).</summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="WorkspaceId">The workspace of the conversation.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The message.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Channel">The message's channel.</param>
/// <param name="SentBy">The staff member who sent it.</param>
/// <param name="OccurredAt">When it was queued.</param>
public sealed record MessageQueued(
    OrganisationId OrganisationId,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    MessageId MessageId,
    PatientId PatientId,
    MessageChannel Channel,
    StaffId SentBy,
    Instant OccurredAt)
    : MessageEvent(OrganisationId, WorkspaceId, ConversationId, MessageId, PatientId, Channel, OccurredAt);

/// <summary>A provider accepted a message (<see cref="DeliveryStatus.Sent"/>).</summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="WorkspaceId">The workspace of the conversation.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The message.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Channel">The message's channel.</param>
/// <param name="ProviderName">The provider that accepted it.</param>
/// <param name="OccurredAt">When the SDK recorded it.</param>
public sealed record MessageSent(
    OrganisationId OrganisationId,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    MessageId MessageId,
    PatientId PatientId,
    MessageChannel Channel,
    string? ProviderName,
    Instant OccurredAt)
    : MessageEvent(OrganisationId, WorkspaceId, ConversationId, MessageId, PatientId, Channel, OccurredAt);

/// <summary>The provider reports that a message reached the patient (<see cref="DeliveryStatus.Delivered"/>).</summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="WorkspaceId">The workspace of the conversation.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The message.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Channel">The message's channel.</param>
/// <param name="OccurredAt">When the SDK recorded it.</param>
public sealed record MessageDelivered(
    OrganisationId OrganisationId,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    MessageId MessageId,
    PatientId PatientId,
    MessageChannel Channel,
    Instant OccurredAt)
    : MessageEvent(OrganisationId, WorkspaceId, ConversationId, MessageId, PatientId, Channel, OccurredAt);

/// <summary>
/// A message failed for good: it could not be sent (<see cref="DeliveryStatus.Failed"/>) or the provider could not
/// deliver it (<see cref="DeliveryStatus.Undelivered"/>).
/// </summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="WorkspaceId">The workspace of the conversation.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The message.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Channel">The message's channel.</param>
/// <param name="Status"><see cref="DeliveryStatus.Failed"/> or <see cref="DeliveryStatus.Undelivered"/>.</param>
/// <param name="ErrorCode">The provider's error code, as the provider gave it, if any.</param>
/// <param name="OccurredAt">When the SDK recorded it.</param>
public sealed record MessageFailed(
    OrganisationId OrganisationId,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    MessageId MessageId,
    PatientId PatientId,
    MessageChannel Channel,
    DeliveryStatus Status,
    string? ErrorCode,
    Instant OccurredAt)
    : MessageEvent(OrganisationId, WorkspaceId, ConversationId, MessageId, PatientId, Channel, OccurredAt);

/// <summary>A patient replied through a reply link (R12); <see cref="MessageEvent.MessageId"/> is the reply.</summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="WorkspaceId">The workspace of the conversation.</param>
/// <param name="ConversationId">The conversation, now open and unread.</param>
/// <param name="MessageId">The patient's reply.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Channel">The channel of the message replied to.</param>
/// <param name="InReplyTo">The staff message whose link the patient used.</param>
/// <param name="OccurredAt">When the reply was received.</param>
public sealed record PatientReplied(
    OrganisationId OrganisationId,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    MessageId MessageId,
    PatientId PatientId,
    MessageChannel Channel,
    MessageId InReplyTo,
    Instant OccurredAt)
    : MessageEvent(OrganisationId, WorkspaceId, ConversationId, MessageId, PatientId, Channel, OccurredAt);

/// <summary>A patient unlocked a Direct Message with its link and SMS access code (R18).</summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="WorkspaceId">The workspace of the conversation.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The Direct Message.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Channel"><see cref="MessageChannel.DirectMessage"/>.</param>
/// <param name="OccurredAt">When it was unlocked.</param>
public sealed record DirectMessageUnlocked(
    OrganisationId OrganisationId,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    MessageId MessageId,
    PatientId PatientId,
    MessageChannel Channel,
    Instant OccurredAt)
    : MessageEvent(OrganisationId, WorkspaceId, ConversationId, MessageId, PatientId, Channel, OccurredAt);

/// <summary>
/// A number opted out of SMS from the organisation, or back in (R14). The number itself is patient data and is not
/// carried: when the opt-out came from a provider refusing a message, <see cref="MessageId"/> and
/// <see cref="PatientId"/> name it; after an inbound keyword the host already holds the sender's number.
/// </summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="OptedOut">Whether SMS to the number are now refused.</param>
/// <param name="Source">What changed it, e.g. <c>keyword:STOP</c> or <c>provider:21610</c>.</param>
/// <param name="PatientId">The patient, when known.</param>
/// <param name="MessageId">The message the provider refused, when that is what opted the number out.</param>
/// <param name="OccurredAt">When it changed.</param>
public sealed record OptOutChanged(
    OrganisationId OrganisationId,
    bool OptedOut,
    string Source,
    PatientId? PatientId,
    MessageId? MessageId,
    Instant OccurredAt)
    : MessagingEvent(OrganisationId, OccurredAt);

/// <summary>
/// A charge took the organisation's SMS credit balance below the configured threshold (R15). Raised once per
/// crossing: sends that stay below it raise nothing more until a purchase or refund lifts the balance back to the
/// threshold or above.
/// </summary>
/// <param name="OrganisationId">The organisation.</param>
/// <param name="Balance">The balance right after the charge.</param>
/// <param name="Threshold">The threshold it fell below.</param>
/// <param name="OccurredAt">When the charge was made.</param>
public sealed record CreditBalanceLow(OrganisationId OrganisationId, int Balance, int Threshold, Instant OccurredAt)
    : MessagingEvent(OrganisationId, OccurredAt);
