namespace Messaging.Storage;

/// <summary>
/// Writes staged by one SDK operation and applied atomically by <see cref="CommitAsync"/>: all of them, or — when
/// a precondition fails — none. Disposing without committing discards them.
/// </summary>
/// <remarks>
/// Preconditions are checked at commit, against the state at that moment, never against what was read earlier:
/// <list type="bullet">
/// <item><description>adding an entity whose key exists throws <see cref="MessagingConflictException"/> with
/// <see cref="MessagingErrorCodes.AlreadyExists"/>;</description></item>
/// <item><description>updating a conversation whose stored <see cref="Conversation.Version"/> is not the expected one throws
/// <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.ConcurrencyConflict"/>;</description></item>
/// <item><description>a credit charge that would take the balance below zero throws <see cref="MessagingConflictException"/>
/// with <see cref="MessagingErrorCodes.InsufficientCredits"/>, so concurrent sends never overdraw;</description></item>
/// <item><description>adding a message whose idempotency key the organisation already used throws
/// <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.AlreadyExists"/>;</description></item>
/// <item><description>completing or rescheduling an outbox entry whose lease another instance now holds throws
/// <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.LeaseLost"/>, and so does renewing a lease
/// that is not the renewer's or has lapsed;</description></item>
/// <item><description>spending a reply token that is no longer active throws <see cref="MessagingConflictException"/>
/// with <see cref="MessagingErrorCodes.ReplyTokenSpent"/>;</description></item>
/// <item><description>writing a patient whose NHS number another patient of the organisation has throws
/// <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.AlreadyExists"/>;</description></item>
/// <item><description>adding a Direct Message whose id exists, or adding or updating one so that its non-null
/// <see cref="DirectMessage.LinkTokenHash"/> equals another Direct Message's, throws <see cref="MessagingConflictException"/>
/// with <see cref="MessagingErrorCodes.AlreadyExists"/>;</description></item>
/// <item><description>updating a Direct Message whose stored <see cref="DirectMessage.Version"/> is not the expected one
/// throws <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.ConcurrencyConflict"/>, so two
/// concurrent wrong codes can never both be recorded on top of the same count: the later commit fails, and the SDK reads
/// again and retries;</description></item>
/// <item><description>adding an internal thread or internal message whose id exists throws <see cref="MessagingConflictException"/>
/// with <see cref="MessagingErrorCodes.AlreadyExists"/>; updating an internal thread whose stored
/// <see cref="InternalThread.Version"/> is not the expected one throws it with <see cref="MessagingErrorCodes.ConcurrencyConflict"/>;</description></item>
/// <item><description>adding or updating a template whose <see cref="MessageTemplate.NameKey"/> another template of the same
/// name set already has throws <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.TemplateNameTaken"/>
/// (see <see cref="AddTemplate"/> for the sets), so two concurrent saves never both take a name;</description></item>
/// <item><description>updating or deleting a template whose stored <see cref="MessageTemplate.Version"/> is not the expected one
/// throws <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.ConcurrencyConflict"/>, and one that no
/// longer exists throws <see cref="MessagingNotFoundException"/> with <see cref="MessagingErrorCodes.TemplateNotFound"/>.</description></item>
/// </list>
/// A unit of work is used by one operation on one thread; it is not thread-safe.
/// </remarks>
public interface IMessagingUnitOfWork : IAsyncDisposable
{
    /// <summary>Adds an organisation.</summary>
    void AddOrganisation(Organisation organisation);

    /// <summary>Adds a workspace.</summary>
    void AddWorkspace(Workspace workspace);

    /// <summary>Adds a membership, or replaces the member's existing one in that workspace.</summary>
    void UpsertMember(WorkspaceMember member);

    /// <summary>Removes a membership (and the member from the workspace's teams). Missing is not an error.</summary>
    void RemoveMember(WorkspaceId workspaceId, StaffId staffId);

    /// <summary>Adds a team.</summary>
    void AddTeam(Team team);

    /// <summary>Replaces a team's name and members.</summary>
    void UpdateTeam(Team team);

    /// <summary>Adds a patient, or replaces the organisation's patient with the same id.</summary>
    void UpsertPatient(Patient patient);

    /// <summary>Adds a conversation.</summary>
    void AddConversation(Conversation conversation);

    /// <summary>
    /// Replaces a conversation if its stored version is <paramref name="expectedVersion"/>; the stored record takes
    /// <paramref name="conversation"/>'s values, whose <see cref="Conversation.Version"/> must be
    /// <paramref name="expectedVersion"/> + 1.
    /// </summary>
    void UpdateConversation(Conversation conversation, long expectedVersion);

    /// <summary>Appends an entry to a conversation's assignment history.</summary>
    void AddAssignment(Assignment assignment);

    /// <summary>Sets a member's read position in a conversation.</summary>
    void SetReadPosition(ReadPosition position);

    /// <summary>Adds a message.</summary>
    void AddMessage(Message message);

    /// <summary>Replaces a message if its stored version is <paramref name="expectedVersion"/> (the new one carries + 1).</summary>
    void UpdateMessage(Message message, long expectedVersion);

    /// <summary>Adds an outbox entry for a message.</summary>
    void AddOutboxEntry(OutboxEntry entry);

    /// <summary>Removes a message's outbox entry, if <paramref name="leaseOwner"/> still holds it.</summary>
    void CompleteOutboxEntry(MessageId messageId, string leaseOwner);

    /// <summary>
    /// The fence before a provider call (R29): extends the lease of a message's outbox entry to
    /// <paramref name="leaseExpiresAt"/>, only if <paramref name="leaseOwner"/> holds it and its lease is unexpired at
    /// <paramref name="now"/>. Fails the commit with <see cref="MessagingErrorCodes.LeaseLost"/> otherwise — also when the
    /// lease lapsed and nobody claimed the entry since, because another instance may be about to.
    /// </summary>
    void RenewOutboxLease(MessageId messageId, string leaseOwner, NodaTime.Instant now, NodaTime.Instant leaseExpiresAt);

    /// <summary>Releases a message's outbox entry for another attempt at <paramref name="nextAttemptAt"/>, if <paramref name="leaseOwner"/> still holds it.</summary>
    void RescheduleOutboxEntry(MessageId messageId, string leaseOwner, int attempts, NodaTime.Instant nextAttemptAt);

    /// <summary>
    /// Adds a Direct Message. Fails the commit when its id exists, or when its <see cref="DirectMessage.LinkTokenHash"/>
    /// is not <see langword="null"/> and another Direct Message has the same one (<see cref="MessagingErrorCodes.AlreadyExists"/>).
    /// </summary>
    void AddDirectMessage(DirectMessage directMessage);

    /// <summary>
    /// Replaces a Direct Message if its stored version is <paramref name="expectedVersion"/>; the stored record takes every
    /// value of <paramref name="directMessage"/>, whose <see cref="DirectMessage.Version"/> must be
    /// <paramref name="expectedVersion"/> + 1. Fails the commit with <see cref="MessagingErrorCodes.ConcurrencyConflict"/>
    /// when the stored version differs, with <see cref="MessagingErrorCodes.DirectMessageNotFound"/> (a
    /// <see cref="MessagingNotFoundException"/>) when there is none, and with <see cref="MessagingErrorCodes.AlreadyExists"/>
    /// when the new non-null <see cref="DirectMessage.LinkTokenHash"/> is another Direct Message's. The link-hash index
    /// follows the new value: a replaced hash no longer finds the record.
    /// </summary>
    void UpdateDirectMessage(DirectMessage directMessage, long expectedVersion);

    /// <summary>Adds an internal thread (R17). Fails the commit if its id exists.</summary>
    void AddInternalThread(InternalThread thread);

    /// <summary>
    /// Replaces an internal thread if its stored version is <paramref name="expectedVersion"/>; the new one must carry
    /// <paramref name="expectedVersion"/> + 1. Fails the commit with <see cref="MessagingErrorCodes.ConcurrencyConflict"/>
    /// when the version differs, or <see cref="MessagingErrorCodes.InternalThreadNotFound"/> (a <see cref="MessagingNotFoundException"/>) when there is none.
    /// </summary>
    void UpdateInternalThread(InternalThread thread, long expectedVersion);

    /// <summary>Appends a message to its thread (R17). Fails the commit if its id exists.</summary>
    void AddInternalMessage(InternalMessage message);

    /// <summary>Appends a credit ledger entry; a charge that would overdraw the balance fails the commit.</summary>
    void AppendCreditEntry(CreditLedgerEntry entry);

    /// <summary>
    /// Adds a reply token. An <see cref="ReplyTokenState.Active"/> one marks the conversation's other active tokens
    /// superseded (R12); a <see cref="ReplyTokenState.Pending"/> one, as the SDK issues before the provider call, supersedes
    /// nothing until <see cref="ActivateReplyToken"/> (R29). Issuing again a token whose hash is stored for the same message
    /// and conversation changes nothing (a retry of the message re-issues the same token, R29); the same hash for another
    /// message fails the commit with <see cref="MessagingErrorCodes.AlreadyExists"/>. A conversation never has more than one
    /// active token: a database store enforces it with a unique index, and an active token issued concurrently with another
    /// activation may fail the commit with <see cref="MessagingErrorCodes.ConcurrencyConflict"/>.
    /// </summary>
    void IssueReplyToken(ReplyToken token);

    /// <summary>
    /// Activates a pending reply token once its message reached the provider (R29), in the unit of work that marks the
    /// message sent: the conversation's active tokens issued before it (by <see cref="ReplyToken.IssuedAt"/>, then by hash)
    /// are superseded and it becomes the active one; if an active token issued after it exists, the newer one stays and
    /// this one is superseded. A token that is unknown or not pending (already active, used or superseded) is left as it
    /// is. A conversation never has more than one active token, even when two of its messages are activated at once: the
    /// store resolves the race itself (the newest token wins) rather than failing the commit.
    /// </summary>
    void ActivateReplyToken(string tokenHash);

    /// <summary>
    /// Revokes a pending reply token whose message failed for good (R29), in the unit of work that marks the message
    /// failed: it becomes <see cref="ReplyTokenState.Revoked"/> and can no longer be spent. A token that is unknown or not
    /// pending is left as it is, and no other token of the conversation changes.
    /// </summary>
    void RevokeReplyToken(string tokenHash);

    /// <summary>
    /// Marks an active or pending reply token used; fails the commit with <see cref="MessagingErrorCodes.ReplyTokenSpent"/>
    /// if it is neither any more (R12). The conversation's active tokens issued before it are superseded: a reply through
    /// a pending token shows its message reached the patient.
    /// </summary>
    void SpendReplyToken(string tokenHash, NodaTime.Instant usedAt);

    /// <summary>Sets a number's opt-out state.</summary>
    void SetOptOut(OptOutState state);

    /// <summary>Adds a notification.</summary>
    void AddNotification(Notification notification);

    /// <summary>Marks a notification read at <paramref name="readAt"/>; a notification already read keeps its time, a missing one is not an error.</summary>
    void MarkNotificationRead(NotificationId notificationId, NodaTime.Instant readAt);

    /// <summary>Adds an attachment record (its bytes are already in the <see cref="IAttachmentStore"/>).</summary>
    void AddAttachment(Attachment attachment);

    /// <summary>
    /// Adds an attachment download link. Adding again a link whose hash is stored for the same message and attachment
    /// changes nothing (a retry of the message re-adds the same link, R29); the same hash for another message or attachment
    /// fails the commit with <see cref="MessagingErrorCodes.AlreadyExists"/>.
    /// </summary>
    void AddAttachmentLink(AttachmentLink link);

    /// <summary>Appends an audit event.</summary>
    void AppendAudit(AuditEvent auditEvent);

    /// <summary>
    /// Adds a template. At commit its <see cref="MessageTemplate.NameKey"/> must be free in its name set, else the commit
    /// fails with <see cref="MessagingErrorCodes.TemplateNameTaken"/>; an existing id fails it with
    /// <see cref="MessagingErrorCodes.AlreadyExists"/>.
    /// </summary>
    /// <remarks>
    /// The name sets are: a shared template's is the workspace's shared templates — key
    /// (<see cref="MessageTemplate.WorkspaceId"/>, shared, <see cref="MessageTemplate.NameKey"/>); a personal template's
    /// is its owner's personal templates in the workspace — key (<see cref="MessageTemplate.WorkspaceId"/>,
    /// <see cref="MessageTemplate.Owner"/>, <see cref="MessageTemplate.NameKey"/>). A personal and a shared template may
    /// have the same name. A database store enforces this with unique indexes (e.g. one partial index per set, or one
    /// index on (workspace, owner-or-empty-when-shared, name key)) and maps their violation to
    /// <see cref="MessagingErrorCodes.TemplateNameTaken"/>; a check made before the commit is not enough.
    /// </remarks>
    void AddTemplate(MessageTemplate template);

    /// <summary>
    /// Replaces a template if its stored version is <paramref name="expectedVersion"/>; the stored record takes
    /// <paramref name="template"/>'s values, whose <see cref="MessageTemplate.Version"/> must be
    /// <paramref name="expectedVersion"/> + 1. Used for edits, shares and unshares, so the name (and the set, when
    /// <see cref="MessageTemplate.IsShared"/> changes) is checked at commit as for <see cref="AddTemplate"/>, the template
    /// itself excepted. <see cref="MessageTemplate.WorkspaceId"/>, <see cref="MessageTemplate.Owner"/> and
    /// <see cref="MessageTemplate.CreatedAt"/> never change.
    /// </summary>
    /// <remarks>
    /// Fails the commit with <see cref="MessagingErrorCodes.TemplateNotFound"/> when the template is gone,
    /// <see cref="MessagingErrorCodes.ConcurrencyConflict"/> when its version moved, and
    /// <see cref="MessagingErrorCodes.TemplateNameTaken"/> when the name is taken in its (new) set.
    /// </remarks>
    void UpdateTemplate(MessageTemplate template, long expectedVersion);

    /// <summary>
    /// Deletes a template if its stored version is <paramref name="expectedVersion"/>, freeing its name. Fails the commit
    /// with <see cref="MessagingErrorCodes.TemplateNotFound"/> when it is gone and
    /// <see cref="MessagingErrorCodes.ConcurrencyConflict"/> when its version moved.
    /// </summary>
    void DeleteTemplate(TemplateId templateId, long expectedVersion);

    /// <summary>Applies every staged write atomically, or throws and applies none.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
