using NodaTime;

namespace Messaging;

/// <summary>A Direct Message staff send to a patient (R18).</summary>
public sealed record SendDirectMessageRequest
{
    /// <summary>The workspace it is sent from.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>Continue this conversation (R6); <see langword="null"/> to start a new one with <see cref="PatientId"/>.</summary>
    public ConversationId? ConversationId { get; init; }

    /// <summary>The patient, when starting a new conversation.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>The title shown once unlocked (never in the email or SMS). Patient data.</summary>
    public required string Subject { get; init; }

    /// <summary>The confidential content, already rendered (never in the email or SMS). Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>
    /// Documents or forms already uploaded to the workspace (<see cref="IAttachmentService.UploadAsync"/>), offered for
    /// download once unlocked; no link to them travels in the email or SMS.
    /// </summary>
    public IReadOnlyList<AttachmentId> Attachments { get; init; } = [];

    /// <summary>
    /// The host's idempotency key (R24): the same key with the same content returns the original Direct Message
    /// instead of sending again; with different content it is a conflict.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>What an unlock attempt came to. Each is a distinct result the host shows its own page for.</summary>
public enum DirectMessageUnlockStatus
{
    /// <summary>The link and the code match: <see cref="DirectMessageUnlockResult.Content"/> holds the message.</summary>
    Unlocked = 0,

    /// <summary>The code is wrong (or the old one after a resend); <see cref="DirectMessageUnlockResult.AttemptsLeft"/> say how many tries remain.</summary>
    WrongCode = 1,

    /// <summary>Too many wrong codes: even the right one is refused until staff resend a new code.</summary>
    Locked = 2,

    /// <summary>The link or the code is too old; staff can resend.</summary>
    Expired = 3,

    /// <summary>No such link (never issued, mistyped, or replaced by a newer one).</summary>
    Unknown = 4,
}

/// <summary>An attachment of an unlocked Direct Message, with a download link minted for that unlock (R11).</summary>
/// <param name="AttachmentId">The attachment.</param>
/// <param name="FileName">Its file name. Patient data.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="DownloadLink">
/// <c>{PublicBaseUrl}a/{token}</c>, opened with <see cref="IAttachmentService.OpenLinkAsync"/>; only the token's hash is
/// stored, and it expires like any download link.
/// </param>
public sealed record DirectMessageDownload(AttachmentId AttachmentId, string FileName, string ContentType, long Length, Uri DownloadLink)
{
    /// <summary>Ids only: no file name or token reaches a log through this method.</summary>
    public override string ToString() => $"DirectMessageDownload {{ AttachmentId = {AttachmentId}, ContentType = {ContentType}, Length = {Length} }}";
}

/// <summary>The content of an unlocked Direct Message.</summary>
/// <param name="Id">The Direct Message.</param>
/// <param name="Subject">Its title.</param>
/// <param name="Body">Its content.</param>
/// <param name="Attachments">Its documents and forms, each with a fresh download link.</param>
/// <param name="SenderName">The sender's display name (never a phone number or address).</param>
/// <param name="SentAt">When it was sent.</param>
public sealed record DirectMessageContent(
    DirectMessageId Id,
    string Subject,
    string Body,
    IReadOnlyList<DirectMessageDownload> Attachments,
    string? SenderName,
    Instant SentAt)
{
    /// <summary>Ids only: the content never reaches a log through this method.</summary>
    public override string ToString() => $"DirectMessageContent {{ Id = {Id}, Attachments = {Attachments.Count} }}";
}

/// <summary>The outcome of an unlock attempt (R18).</summary>
/// <param name="Status">Which of the five outcomes it is.</param>
/// <param name="Content">The message, when <see cref="DirectMessageUnlockStatus.Unlocked"/>.</param>
/// <param name="AttemptsLeft">Wrong codes still allowed before the message locks (for <see cref="DirectMessageUnlockStatus.WrongCode"/>).</param>
public sealed record DirectMessageUnlockResult(DirectMessageUnlockStatus Status, DirectMessageContent? Content = null, int AttemptsLeft = 0)
{
    /// <summary>Whether the content was released.</summary>
    public bool Unlocked => Status == DirectMessageUnlockStatus.Unlocked;
}

/// <summary>What a Direct-Message link is worth before a code is entered, for the host's unlock page.</summary>
public enum DirectMessageLinkStatus
{
    /// <summary>Ask for the code.</summary>
    Ready = 0,

    /// <summary>Locked after too many wrong codes; staff must resend.</summary>
    Locked = 1,

    /// <summary>The link or code is too old; staff must resend.</summary>
    Expired = 2,

    /// <summary>No such link.</summary>
    Unknown = 3,
}

/// <summary>Where a Direct Message stands, as staff see it.</summary>
public enum DirectMessageState
{
    /// <summary>Queued: the link or the code has not been handed to its provider yet.</summary>
    Pending = 0,

    /// <summary>The link and code are out and the patient has not unlocked it yet.</summary>
    Sent = 1,

    /// <summary>The patient unlocked it at least once (it stays readable with a valid link and code).</summary>
    Unlocked = 2,

    /// <summary>Locked after too many wrong codes.</summary>
    Locked = 3,

    /// <summary>The link or the code expired.</summary>
    Expired = 4,
}

/// <summary>A Direct Message as staff see it: its content and where it stands, without any secret or hash.</summary>
/// <param name="Id">Its id.</param>
/// <param name="WorkspaceId">The workspace it was sent from.</param>
/// <param name="ConversationId">Its patient conversation.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="SentBy">The sender.</param>
/// <param name="Subject">Its title.</param>
/// <param name="Body">Its content.</param>
/// <param name="Attachments">Its documents and forms.</param>
/// <param name="State">Where it stands now.</param>
/// <param name="FailedAttempts">Wrong codes entered against the current code.</param>
/// <param name="EmailMessageId">The latest email with the link (its delivery status is on the message).</param>
/// <param name="SmsMessageId">The latest SMS with the code (its delivery status is on the message).</param>
/// <param name="SentAt">When it was sent.</param>
/// <param name="LinkExpiresAt">When the current link expires, once issued.</param>
/// <param name="AccessCodeExpiresAt">When the current code expires, once issued.</param>
/// <param name="LockedAt">When it locked, if it is locked.</param>
/// <param name="FirstUnlockedAt">When the patient first unlocked it.</param>
public sealed record DirectMessageView(
    DirectMessageId Id,
    WorkspaceId WorkspaceId,
    ConversationId ConversationId,
    PatientId PatientId,
    StaffId SentBy,
    string Subject,
    string Body,
    IReadOnlyList<AttachmentId> Attachments,
    DirectMessageState State,
    int FailedAttempts,
    MessageId EmailMessageId,
    MessageId SmsMessageId,
    Instant SentAt,
    Instant? LinkExpiresAt,
    Instant? AccessCodeExpiresAt,
    Instant? LockedAt,
    Instant? FirstUnlockedAt)
{
    /// <summary>Ids and state only.</summary>
    public override string ToString() => $"DirectMessageView {{ Id = {Id}, State = {State}, FailedAttempts = {FailedAttempts} }}";
}

/// <summary>
/// Direct Messages (R18): confidential content for a patient, announced by an email that carries only a link and an SMS
/// that carries only an access code; the content is released only to someone presenting both.
/// </summary>
/// <remarks>
/// <para>
/// Sending needs the patient's email address and mobile number and enough SMS credits for the code's SMS; all of it is
/// checked before anything is written, and the Direct Message, its email and SMS (each with its outbox entry) and the
/// credit charge commit together. The link token and the code are minted when the outbox hands each message to its
/// provider, and only their hashes are stored (the code's with Argon2id over HMAC-SHA256 with the server-side pepper).
/// </para>
/// <para>
/// After five wrong codes the message locks, and even the right code is refused until staff resend a new one. Links and
/// codes expire. Every send, unlock, wrong code, lock, refused attempt, staff view and resend is audited (R19).
/// Direct Messages need <c>Messaging:DirectMessages:Pepper</c> (see <c>AddDirectMessages</c>); without it every
/// operation here throws <see cref="InvalidOperationException"/> naming the setting, before anything is written.
/// </para>
/// </remarks>
public interface IDirectMessageService
{
    /// <summary>Queues a Direct Message: its link email and code SMS go out through the outbox.</summary>
    /// <exception cref="MessagingValidationException">Bad input, or the patient lacks an email address or a mobile number (<see cref="MessagingErrorCodes.RecipientMissing"/>).</exception>
    /// <exception cref="MessagingConflictException">Too few SMS credits, the mobile opted out, or the idempotency key was used for other content.</exception>
    Task<DirectMessageView> SendAsync(StaffId actor, SendDirectMessageRequest request, CancellationToken cancellationToken = default);

    /// <summary>What a link is worth before a code is entered. Not audited: nothing is revealed.</summary>
    Task<DirectMessageLinkStatus> CheckLinkAsync(string linkToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// The patient's attempt to unlock with the link's token and the SMS code. Every outcome is a result, never an
    /// exception; concurrent wrong codes each count.
    /// </summary>
    /// <exception cref="MessagingConflictException">
    /// Every Argon2id slot stayed busy past the configured queue timeout (<see cref="MessagingErrorCodes.DirectMessageBusy"/>):
    /// nothing was counted; the host may ask the patient to try again in a moment.
    /// </exception>
    Task<DirectMessageUnlockResult> UnlockAsync(string linkToken, string accessCode, CancellationToken cancellationToken = default);

    /// <summary>
    /// Staff resend: a new SMS with a new code (the old code is dead at once), the wrong-code count reset and any lock
    /// lifted; when the link has expired, a new email with a new link as well. Charged like any SMS.
    /// </summary>
    Task<DirectMessageView> ResendCodeAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default);

    /// <summary>The Direct Message with its content, for a staff member who may see its conversation. Audited as a view.</summary>
    Task<DirectMessageView> GetAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default);

    /// <summary>The Direct Message's audit trail, oldest first: sent, unlocked, wrong codes, lock, views, resends.</summary>
    Task<IReadOnlyList<AuditEvent>> GetAuditTrailAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default);
}
