using NodaTime;

namespace Messaging;

/// <summary>A request for one page of a patient's communication history in a workspace (R25).</summary>
public sealed record PatientHistoryRequest
{
    /// <summary>The workspace whose conversations with the patient are read.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The patient.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>Entries per page; <see langword="null"/> for the configured default page size.</summary>
    public int? PageSize { get; init; }

    /// <summary>The <see cref="PatientHistoryResult.NextPageToken"/> of the previous page, or <see langword="null"/> for the first.</summary>
    public string? PageToken { get; init; }
}

/// <summary>One communication in a patient's history: a row of the "Messages" tab of the patient's record (R25).</summary>
/// <remarks><see cref="Subject"/> and <see cref="Body"/> are patient data; <see cref="ToString"/> prints ids and states only (R22).</remarks>
public sealed record PatientHistoryEntry
{
    /// <summary>The message.</summary>
    public required MessageId MessageId { get; init; }

    /// <summary>The conversation it belongs to.</summary>
    public required ConversationId ConversationId { get; init; }

    /// <summary>SMS, email, Direct Message, internal, or a channel a plug-in added.</summary>
    public required MessageChannel Channel { get; init; }

    /// <summary>Sent by staff, or received from the patient (a reply).</summary>
    public required MessageDirection Direction { get; init; }

    /// <summary>The staff member who sent it; <see langword="null"/> when the patient did.</summary>
    public StaffId? SentBy { get; init; }

    /// <summary>
    /// The sender's display name in the workspace; <see langword="null"/> when the patient sent it or the sender is no
    /// longer a member.
    /// </summary>
    public string? SenderName { get; init; }

    /// <summary>Where it is on its way (R13); <see cref="DeliveryStatus.Delivered"/> for a patient's reply.</summary>
    public required DeliveryStatus Status { get; init; }

    /// <summary>The provider's latest raw status word, if any (R13).</summary>
    public string? ProviderStatus { get; init; }

    /// <summary>The provider's latest error code, if any (R13).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>When staff sent it, or when the patient's reply was received. The history is ordered by it.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When its status last changed.</summary>
    public required Instant StatusChangedAt { get; init; }

    /// <summary>For a patient's reply, the staff message replied to.</summary>
    public MessageId? InReplyTo { get; init; }

    /// <summary>Files sent with it, or sent by the patient with a reply (R11).</summary>
    public IReadOnlyList<AttachmentId> Attachments { get; init; } = [];

    /// <summary>The email subject, for email. Patient data.</summary>
    public string? Subject { get; init; }

    /// <summary>The text as sent or received. Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>Ids and states only.</summary>
    public override string ToString() => $"PatientHistoryEntry {{ MessageId = {MessageId}, Channel = {Channel}, Direction = {Direction}, Status = {Status} }}";
}

/// <summary>One page of a patient's communication history.</summary>
/// <param name="Entries">The entries, newest first.</param>
/// <param name="NextPageToken">An opaque token for the next page, or <see langword="null"/> on the last page.</param>
public sealed record PatientHistoryResult(IReadOnlyList<PatientHistoryEntry> Entries, string? NextPageToken);

/// <summary>
/// A patient's communication history (R25): every message of the workspace's conversations with the patient, on
/// every channel (SMS, email, Direct Message, internal messages about the patient, the patient's replies), newest
/// first, with sender, delivery status and times, for the EHR to file in the patient's record.
/// </summary>
/// <remarks>
/// <para>The actor must be a member of the workspace (R1). In a workspace with a shared inbox they see every
/// conversation with the patient; otherwise only their own (R2, R5): conversations they started or sent in, or that
/// are assigned to them or to a team of theirs — the same conversations they can open.</para>
/// <para>Pages are keyset-paginated on (<see cref="PatientHistoryEntry.CreatedAt"/>, message id), so messages arriving
/// while a host pages never shift or repeat entries. Each page read is audited as a view of the patient (R19).</para>
/// </remarks>
public interface IPatientHistoryService
{
    /// <summary>One page of the patient's history, newest first.</summary>
    /// <exception cref="MessagingAuthorizationException">The actor is not a member of the workspace.</exception>
    /// <exception cref="MessagingNotFoundException">The workspace or the patient does not exist.</exception>
    /// <exception cref="MessagingValidationException">The page size is out of range or the page token is not one of this history's.</exception>
    Task<PatientHistoryResult> GetHistoryAsync(StaffId actor, PatientHistoryRequest request, CancellationToken cancellationToken = default);
}

/// <summary>A position in a patient's history: the last entry's creation time and message id (keyset pagination).</summary>
/// <param name="CreatedAt">The last entry's <see cref="Message.CreatedAt"/>.</param>
/// <param name="MessageId">The last entry's id, which breaks ties.</param>
public readonly record struct PatientHistoryCursor(Instant CreatedAt, MessageId MessageId);

/// <summary>
/// Restricts a history query to the conversations one member may see without a shared inbox (R2, R5): those in whose
/// <see cref="Conversation.Participants"/> they are, those assigned to them, and those assigned to one of
/// <see cref="Teams"/>.
/// </summary>
/// <param name="StaffId">The member.</param>
/// <param name="Teams">The workspace's teams the member belongs to.</param>
public sealed record HistoryViewer(StaffId StaffId, IReadOnlyList<TeamId> Teams);

/// <summary>What a store is asked for: one page of a patient's history in a workspace.</summary>
public sealed record PatientHistoryQuery
{
    /// <summary>The workspace.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The patient.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>Only conversations this member may see; <see langword="null"/> for every conversation (shared inbox).</summary>
    public HistoryViewer? Viewer { get; init; }

    /// <summary>Start strictly after this position; <see langword="null"/> for the first page.</summary>
    public PatientHistoryCursor? After { get; init; }

    /// <summary>How many messages at most.</summary>
    public required int PageSize { get; init; }
}

/// <summary>One page of a patient's history as a store returns it.</summary>
/// <param name="Messages">The messages, newest first.</param>
/// <param name="NextCursor">The position of the last message when at least one more matches, or <see langword="null"/> on the last page.</param>
public sealed record PatientHistoryPage(IReadOnlyList<Message> Messages, PatientHistoryCursor? NextCursor);
