using NodaTime;

namespace Messaging;

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
