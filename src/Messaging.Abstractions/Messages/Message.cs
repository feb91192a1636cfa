using NodaTime;

namespace Messaging;

/// <summary>How a message travels (R10). An extensible "smart enum": the SDK's channels are the static properties.</summary>
/// <param name="Value">The channel's stable name.</param>
public readonly record struct MessageChannel(string Value)
{
    /// <summary>A text message to the patient's mobile.</summary>
    public static MessageChannel Sms { get; } = new("sms");

    /// <summary>An email to the patient.</summary>
    public static MessageChannel Email { get; } = new("email");

    /// <summary>A Direct Message: a link by email, an access code by SMS (R18).</summary>
    public static MessageChannel DirectMessage { get; } = new("direct");

    /// <summary>A staff-to-staff message that never leaves the application (R17).</summary>
    public static MessageChannel Internal { get; } = new("internal");

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>Whether a message went to or came from the patient.</summary>
public enum MessageDirection
{
    /// <summary>Sent by staff.</summary>
    Outbound = 0,

    /// <summary>Received from the patient.</summary>
    Inbound = 1,
}

/// <summary>
/// A message (R10): who sent it, on which channel, the rendered text, and where it is on its way (R13).
/// </summary>
/// <remarks><see cref="Body"/>, <see cref="Subject"/> and <see cref="Recipient"/> are patient data; <see cref="ToString"/> prints ids and states only (R22).</remarks>
public sealed record Message
{
    /// <summary>Its id; also the idempotency key handed to providers, so a retry is recognisable.</summary>
    public required MessageId Id { get; init; }

    /// <summary>The organisation that sent it (and pays for it).</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace it was sent from.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The conversation it belongs to.</summary>
    public required ConversationId ConversationId { get; init; }

    /// <summary>The patient it went to or came from.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>The channel.</summary>
    public required MessageChannel Channel { get; init; }

    /// <summary>Outbound or inbound.</summary>
    public required MessageDirection Direction { get; init; }

    /// <summary>The staff member who sent it; <see langword="null"/> for inbound messages.</summary>
    public StaffId? SentBy { get; init; }

    /// <summary>The E.164 number or email address it went to. Patient data.</summary>
    public required string Recipient { get; init; }

    /// <summary>The email subject, for email. Patient data.</summary>
    public string? Subject { get; init; }

    /// <summary>The rendered text, exactly as sent. Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>The rendered HTML body, for email.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>For a patient's reply: the staff message whose reply link the patient used (R12); otherwise <see langword="null"/>.</summary>
    public MessageId? InReplyTo { get; init; }

    /// <summary>Whether the patient may reply once through a link sent with it (R12).</summary>
    public bool AllowReply { get; init; }

    /// <summary>Files sent with it (R11): the patient gets a download link for each; for a reply, what the patient sent.</summary>
    public IReadOnlyList<AttachmentId> Attachments { get; init; } = [];

    /// <summary>Where it is on its way (R13).</summary>
    public required DeliveryStatus Status { get; init; }

    /// <summary>SMS segments (0 for other channels).</summary>
    public int Segments { get; init; }

    /// <summary>Credits charged for it (R15); refunded if it never reached a provider.</summary>
    public int Credits { get; init; }

    /// <summary>The host's idempotency key (R24), if it gave one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// The Direct Message this email or SMS announces (R18), or <see langword="null"/>. Such a message's stored body holds
    /// neither the content nor the secret: the outbox mints the link (email) or access code (SMS) when it hands the
    /// message to its provider and appends it to the text sent.
    /// </summary>
    public DirectMessageId? DirectMessageId { get; init; }

    /// <summary>A hash of what was asked for, to tell a repeat (same key, same content) from a conflict (R24).</summary>
    public required string ContentHash { get; init; }

    /// <summary>The provider that accepted it.</summary>
    public string? ProviderName { get; init; }

    /// <summary>The provider's id for it, matched by delivery reports.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>The provider's latest raw status word, kept as is (R13).</summary>
    public string? ProviderStatus { get; init; }

    /// <summary>The provider's latest error code, kept as is (R13).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>When it was created.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When its status last changed.</summary>
    public required Instant UpdatedAt { get; init; }

    /// <summary>The optimistic-concurrency version, raised by every update.</summary>
    public required long Version { get; init; }

    /// <summary>Ids and states only.</summary>
    public override string ToString() => $"Message {{ Id = {Id}, Channel = {Channel}, Status = {Status}, Version = {Version} }}";
}

/// <summary>Whether a phone number may receive SMS (R14).</summary>
/// <param name="OrganisationId">The organisation whose sender the patient opted out of.</param>
/// <param name="Number">The number.</param>
/// <param name="OptedOut">Whether SMS to it are refused.</param>
/// <param name="ChangedAt">When it last changed.</param>
/// <param name="Source">What changed it, e.g. <c>keyword:STOP</c> or <c>provider:21610</c>.</param>
public sealed record OptOutState(OrganisationId OrganisationId, PhoneNumber Number, bool OptedOut, Instant ChangedAt, string Source);
