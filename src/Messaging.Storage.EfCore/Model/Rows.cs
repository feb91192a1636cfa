namespace Messaging.Storage.EfCore.Model;

// The tables, one class each. They hold plain columns (strings, Guids, numbers, UTC DateTimes) so the schema reads
// well to a DBA and every query translates on SQLite and PostgreSQL alike; RowMapping converts to and from the
// SDK's records. Instants are stored truncated to whole microseconds (PostgreSQL's timestamp precision).

internal sealed class OrganisationRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string DefaultWorkspaceId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

internal sealed class WorkspaceRow
{
    public string Id { get; set; } = "";
    public string OrganisationId { get; set; } = "";
    public string Name { get; set; } = "";
    public WorkspaceKind Kind { get; set; }
    public bool HasSharedInbox { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class MemberRow
{
    public string WorkspaceId { get; set; } = "";
    public string StaffId { get; set; } = "";
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public WorkspaceRole Role { get; set; }
    public DateTime AddedAt { get; set; }
}

internal sealed class TeamRow
{
    public string WorkspaceId { get; set; } = "";
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public List<TeamMemberRow> Members { get; set; } = [];
}

internal sealed class TeamMemberRow
{
    public string WorkspaceId { get; set; } = "";
    public string TeamId { get; set; } = "";
    public string StaffId { get; set; } = "";

    /// <summary>Keeps the team's member order.</summary>
    public int Position { get; set; }
}

internal sealed class PatientRow
{
    public string OrganisationId { get; set; } = "";
    public string Id { get; set; } = "";
    /// <summary>Null for a patient without one (R33).</summary>
    public string? NhsNumber { get; set; }
    public DateOnly DateOfBirth { get; set; }
    public string GivenName { get; set; } = "";
    public string FamilyName { get; set; } = "";
    public string? Mobile { get; set; }
    public string? Email { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The columns of <c>conversations</c>, shared by the table's row and the inbox query's row.</summary>
internal abstract class ConversationColumns
{
    public Guid Id { get; set; }
    public string OrganisationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string PatientId { get; set; } = "";
    public string StartedBy { get; set; } = "";
    public AssigneeKind AssigneeKind { get; set; }
    public string AssigneeId { get; set; } = "";
    public ConversationStatus Status { get; set; }
    public string? Subject { get; set; }

    /// <summary>The participants' staff ids as a JSON array, in order; <see cref="ParticipantRow"/> indexes them.</summary>
    public string Participants { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public DateTime LastActivityAt { get; set; }
    public long ActivitySequence { get; set; }
    public long Version { get; set; }
}

internal sealed class ConversationRow : ConversationColumns;

/// <summary>
/// A conversation's participant, with the conversation's workspace, status and last activity copied in so the
/// "sent by" inbox view is answered from one index like the others.
/// </summary>
internal sealed class ParticipantRow
{
    public Guid ConversationId { get; set; }
    public string StaffId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public ConversationStatus Status { get; set; }
    public DateTime LastActivityAt { get; set; }
}

internal sealed class AssignmentRow
{
    public Guid ConversationId { get; set; }
    public int Sequence { get; set; }
    public AssigneeKind AssignedToKind { get; set; }
    public string AssignedToId { get; set; } = "";
    public AssigneeKind? PreviousAssigneeKind { get; set; }
    public string? PreviousAssigneeId { get; set; }
    public string AssignedBy { get; set; } = "";
    public DateTime AssignedAt { get; set; }
}

internal sealed class ReadPositionRow
{
    public Guid ConversationId { get; set; }
    public string StaffId { get; set; } = "";
    public long ReadUpTo { get; set; }
    public bool MarkedUnread { get; set; }
}

internal sealed class MessageRow
{
    public Guid Id { get; set; }
    public string OrganisationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public Guid ConversationId { get; set; }
    public string PatientId { get; set; } = "";
    public string Channel { get; set; } = "";
    public MessageDirection Direction { get; set; }
    public string? SentBy { get; set; }
    public string Recipient { get; set; } = "";
    public string? Subject { get; set; }
    public string Body { get; set; } = "";
    public string? HtmlBody { get; set; }

    /// <summary>For a patient's reply, the staff message whose link was used.</summary>
    public Guid? InReplyTo { get; set; }
    public bool AllowReply { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Segments { get; set; }
    public int Credits { get; set; }
    public string? IdempotencyKey { get; set; }

    /// <summary>For a Direct Message's link email or code SMS, the Direct Message (the dispatcher mints its secret from it).</summary>
    public Guid? DirectMessageId { get; set; }
    public string ContentHash { get; set; } = "";
    public string? ProviderName { get; set; }
    public string? ProviderMessageId { get; set; }
    public string? ProviderStatus { get; set; }
    public string? ErrorCode { get; set; }

    /// <summary>The attachment ids sent with it, as a JSON array.</summary>
    public string Attachments { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }
}

internal sealed class OutboxRow
{
    public Guid MessageId { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
}

internal sealed class CreditEntryRow
{
    /// <summary>Store-generated, increasing: the ledger's order.</summary>
    public long Position { get; set; }
    public Guid Id { get; set; }
    public string OrganisationId { get; set; } = "";
    public CreditEntryKind Kind { get; set; }
    public int Amount { get; set; }
    public Guid? MessageId { get; set; }
    public DateTime At { get; set; }
    public string? Reference { get; set; }

    /// <summary>The organisation's balance once this entry was applied, written in the same statement order as the balance row.</summary>
    public int BalanceAfter { get; set; }
}

/// <summary>The running sum of an organisation's ledger, so a charge checks and moves it in one conditional update.</summary>
internal sealed class CreditBalanceRow
{
    public string OrganisationId { get; set; } = "";
    public int Balance { get; set; }
}

internal sealed class ReplyTokenRow
{
    public string TokenHash { get; set; } = "";
    public string OrganisationId { get; set; } = "";
    public Guid ConversationId { get; set; }
    public Guid MessageId { get; set; }
    public string PatientId { get; set; } = "";
    public DateTime IssuedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public ReplyTokenState State { get; set; }
    public DateTime? UsedAt { get; set; }
}

internal sealed class OptOutRow
{
    public string OrganisationId { get; set; } = "";
    public string Number { get; set; } = "";
    public bool OptedOut { get; set; }
    public DateTime ChangedAt { get; set; }
    public string Source { get; set; } = "";
}

internal sealed class AuditEventRow
{
    /// <summary>Store-generated, increasing: the trail's order.</summary>
    public long Position { get; set; }
    public Guid Id { get; set; }
    public DateTime OccurredAt { get; set; }
    public string OrganisationId { get; set; } = "";
    public string? WorkspaceId { get; set; }
    public AuditActorKind ActorKind { get; set; }
    public string ActorId { get; set; } = "";
    public string Action { get; set; } = "";
    public string? PatientId { get; set; }
    public string? TargetId { get; set; }

    /// <summary>The details as a JSON object of strings.</summary>
    public string? Details { get; set; }
}

/// <summary>One row of an inbox page: the conversation's columns and whether the reader has it unread. Not a table.</summary>
internal sealed class InboxRow : ConversationColumns
{
    public bool IsUnread { get; set; }
}

internal sealed class NotificationRow
{
    public Guid Id { get; set; }
    public string OrganisationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string Recipient { get; set; } = "";
    public string Kind { get; set; } = "";
    public Guid? ConversationId { get; set; }
    public Guid? MessageId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

internal sealed class AttachmentRow
{
    public Guid Id { get; set; }
    public string OrganisationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Length { get; set; }
    public string Sha256 { get; set; } = "";
    public string? UploadedBy { get; set; }
    public string? UploadedByPatient { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class AttachmentLinkRow
{
    public string TokenHash { get; set; } = "";
    public Guid AttachmentId { get; set; }
    public Guid MessageId { get; set; }
    public string OrganisationId { get; set; } = "";
    public DateTime IssuedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

internal sealed class TemplateRow
{
    public Guid Id { get; set; }
    public string WorkspaceId { get; set; } = "";
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The normalised name the uniqueness rule of R16 compares.</summary>
    public string NameKey { get; set; } = "";
    public string Body { get; set; } = "";
    public string? HtmlBody { get; set; }
    public bool IsShared { get; set; }
    public long Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

internal sealed class DirectMessageRow
{
    public Guid Id { get; set; }
    public string OrganisationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public Guid ConversationId { get; set; }
    public string PatientId { get; set; } = "";
    public string SentBy { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>The attachment ids as a JSON array.</summary>
    public string Attachments { get; set; } = "[]";
    public Guid EmailMessageId { get; set; }
    public Guid SmsMessageId { get; set; }
    public string? LinkTokenHash { get; set; }
    public DateTime? LinkExpiresAt { get; set; }
    public string? AccessCodeHash { get; set; }
    public DateTime? AccessCodeExpiresAt { get; set; }
    public int FailedAttempts { get; set; }
    public DateTime? LockedAt { get; set; }
    public DateTime? FirstUnlockedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }
}

internal sealed class InternalThreadRow
{
    public Guid Id { get; set; }
    public string OrganisationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string? PatientId { get; set; }
    public string? Subject { get; set; }
    public string StartedBy { get; set; } = "";

    /// <summary>The participants' staff ids as a JSON array, in order; <see cref="InternalThreadParticipantRow"/> indexes them.</summary>
    public string Participants { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public DateTime LastActivityAt { get; set; }
    public long Version { get; set; }
}

/// <summary>A thread's participant, with the thread's workspace and last activity copied in for the member's thread list.</summary>
internal sealed class InternalThreadParticipantRow
{
    public Guid ThreadId { get; set; }
    public string StaffId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public DateTime LastActivityAt { get; set; }
}

internal sealed class InternalMessageRow
{
    /// <summary>Store-generated, increasing: the order messages were added, which breaks ties in time.</summary>
    public long Position { get; set; }
    public Guid Id { get; set; }
    public Guid ThreadId { get; set; }
    public string OrganisationId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string SentBy { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
