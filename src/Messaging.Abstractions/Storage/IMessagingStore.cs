namespace Messaging.Storage;

/// <summary>Reads of organisations, workspaces, members and teams.</summary>
public interface IWorkspaceReader
{
    /// <summary>The organisation, or <see langword="null"/>.</summary>
    ValueTask<Organisation?> GetOrganisationAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The workspace, or <see langword="null"/>.</summary>
    ValueTask<Workspace?> GetWorkspaceAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>The staff member's membership of the workspace, or <see langword="null"/> when they are not a member.</summary>
    ValueTask<WorkspaceMember?> GetMemberAsync(WorkspaceId workspaceId, StaffId staffId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's members, ordered by staff id.</summary>
    ValueTask<IReadOnlyList<WorkspaceMember>> ListMembersAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>The team, or <see langword="null"/>.</summary>
    ValueTask<Team?> GetTeamAsync(WorkspaceId workspaceId, TeamId teamId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's teams, ordered by id.</summary>
    ValueTask<IReadOnlyList<Team>> ListTeamsAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default);
}

/// <summary>Reads of patients.</summary>
public interface IPatientReader
{
    /// <summary>The patient, or <see langword="null"/>.</summary>
    ValueTask<Patient?> GetPatientAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default);

    /// <summary>The organisation's patient with this NHS number, or <see langword="null"/>. Unique per organisation.</summary>
    ValueTask<Patient?> FindPatientByNhsNumberAsync(OrganisationId organisationId, NhsNumber nhsNumber, CancellationToken cancellationToken = default);
}

/// <summary>Reads of conversations, their assignment history and read positions, and the inbox views (R5–R8).</summary>
public interface IConversationReader
{
    /// <summary>The conversation, or <see langword="null"/>.</summary>
    ValueTask<Conversation?> GetConversationAsync(ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The workspace's conversations with a patient, newest activity first; when <paramref name="participant"/> is given,
    /// only those that member started or sent in.
    /// </summary>
    ValueTask<IReadOnlyList<Conversation>> ListPatientConversationsAsync(
        WorkspaceId workspaceId, PatientId patientId, StaffId? participant, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of an inbox view (R7): conversations of the workspace matching the view and filters, ordered by
    /// <see cref="Conversation.LastActivityAt"/> descending then <see cref="Conversation.Id"/> descending, starting
    /// strictly after <see cref="InboxQuery.After"/>. Implementations must answer from an index so that a page costs
    /// the same whatever the number of conversations.
    /// </summary>
    ValueTask<InboxPage> QueryInboxAsync(InboxQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many conversations of the view are unread by <paramref name="reader"/> (open and done).</summary>
    ValueTask<int> CountUnreadAsync(WorkspaceId workspaceId, InboxView view, StaffId reader, CancellationToken cancellationToken = default);

    /// <summary>The conversation's assignment history, oldest first.</summary>
    ValueTask<IReadOnlyList<Assignment>> ListAssignmentsAsync(ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>The member's read position in the conversation, or <see langword="null"/> if they never read it.</summary>
    ValueTask<ReadPosition?> GetReadPositionAsync(ConversationId conversationId, StaffId staffId, CancellationToken cancellationToken = default);
}

/// <summary>Reads of messages and opt-outs (R10, R13, R14, R24).</summary>
public interface IMessageReader
{
    /// <summary>The message, or <see langword="null"/>.</summary>
    ValueTask<Message?> GetMessageAsync(MessageId messageId, CancellationToken cancellationToken = default);

    /// <summary>The organisation's message sent with this host idempotency key, or <see langword="null"/> (R24).</summary>
    ValueTask<Message?> FindMessageByIdempotencyKeyAsync(OrganisationId organisationId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>The message a provider knows by this id, or <see langword="null"/> (delivery reports, R13).</summary>
    ValueTask<Message?> FindMessageByProviderIdAsync(string providerName, string providerMessageId, CancellationToken cancellationToken = default);

    /// <summary>The conversation's messages, oldest first.</summary>
    ValueTask<IReadOnlyList<Message>> ListConversationMessagesAsync(ConversationId conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of a patient's communication history (R25): the messages (every channel, both directions) whose
    /// <see cref="Message.WorkspaceId"/> and <see cref="Message.PatientId"/> are the query's.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>Order: <see cref="Message.CreatedAt"/> descending, then <see cref="Message.Id"/> descending
    /// compared as <see cref="Guid.CompareTo(Guid)"/> does (the order of the ids' canonical text, which is also
    /// PostgreSQL's <c>uuid</c> order).</description></item>
    /// <item><description>Start: strictly after <see cref="PatientHistoryQuery.After"/> in that order, i.e. created
    /// earlier, or created at the same instant with a smaller id.</description></item>
    /// <item><description>Visibility: when <see cref="PatientHistoryQuery.Viewer"/> is set, only messages of
    /// conversations whose current <see cref="Conversation.Participants"/> contain its staff id, or whose current
    /// <see cref="Conversation.Assignee"/> is that staff member or one of its teams. Without a viewer, all of
    /// them.</description></item>
    /// <item><description>Size: at most <see cref="PatientHistoryQuery.PageSize"/> messages.
    /// <see cref="PatientHistoryPage.NextCursor"/> is the (<see cref="Message.CreatedAt"/>, <see cref="Message.Id"/>)
    /// of the page's last message when at least one further message matches, and <see langword="null"/> otherwise
    /// (so an empty next page is never promised).</description></item>
    /// <item><description>Cost: answer from an index on (workspace, patient, created at, id) so that a page costs the
    /// same whatever the length of the history (e.g. a keyset <c>WHERE (created_at, id) &lt; (@at, @id) ORDER BY
    /// created_at DESC, id DESC LIMIT @size + 1</c> joined to the conversations for visibility).</description></item>
    /// </list>
    /// </remarks>
    ValueTask<PatientHistoryPage> QueryPatientHistoryAsync(PatientHistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>The number's opt-out state with the organisation, or <see langword="null"/> if it never changed (R14).</summary>
    ValueTask<OptOutState?> GetOptOutAsync(OrganisationId organisationId, PhoneNumber number, CancellationToken cancellationToken = default);
}

/// <summary>Reads of reply tokens (R12).</summary>
public interface IReplyTokenReader
{
    /// <summary>The token with this hash, or <see langword="null"/>.</summary>
    ValueTask<ReplyToken?> FindReplyTokenAsync(string tokenHash, CancellationToken cancellationToken = default);
}

/// <summary>Reads of Direct Messages (R18).</summary>
public interface IDirectMessageReader
{
    /// <summary>The Direct Message, or <see langword="null"/>.</summary>
    ValueTask<DirectMessage?> GetDirectMessageAsync(DirectMessageId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The Direct Message whose current <see cref="DirectMessage.LinkTokenHash"/> is <paramref name="linkTokenHash"/>
    /// (exact, ordinal match), or <see langword="null"/>. A hash that was replaced by a newer link finds nothing.
    /// Implementations answer from a unique index on the column.
    /// </summary>
    ValueTask<DirectMessage?> FindDirectMessageByLinkTokenHashAsync(string linkTokenHash, CancellationToken cancellationToken = default);
}

/// <summary>Reads of internal staff threads and their messages (R17).</summary>
public interface IInternalMessageReader
{
    /// <summary>The internal thread, or <see langword="null"/> (also for a patient conversation's id).</summary>
    ValueTask<InternalThread?> GetInternalThreadAsync(ConversationId threadId, CancellationToken cancellationToken = default);

    /// <summary>The thread's messages, oldest first (by <see cref="InternalMessage.CreatedAt"/>, then the order added).</summary>
    ValueTask<IReadOnlyList<InternalMessage>> ListInternalMessagesAsync(ConversationId threadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> threads of the workspace in which <paramref name="participant"/> is among
    /// <see cref="InternalThread.Participants"/>, ordered by <see cref="InternalThread.LastActivityAt"/> descending then
    /// <see cref="InternalThread.Id"/> descending.
    /// </summary>
    ValueTask<IReadOnlyList<InternalThread>> ListInternalThreadsAsync(WorkspaceId workspaceId, StaffId participant, int limit, CancellationToken cancellationToken = default);

    /// <summary>The organisation's threads about the patient, in every workspace, oldest first (for the patient's record, R25).</summary>
    ValueTask<IReadOnlyList<InternalThread>> ListPatientInternalThreadsAsync(OrganisationId organisationId, PatientId patientId, CancellationToken cancellationToken = default);
}

/// <summary>Where a page of notifications starts: after this one, in the order newest first.</summary>
/// <param name="CreatedAt">The last listed notification's <see cref="Notification.CreatedAt"/>.</param>
/// <param name="Id">Its id, which breaks ties.</param>
public readonly record struct NotificationCursor(NodaTime.Instant CreatedAt, NotificationId Id);

/// <summary>Reads of staff members' in-app notifications (R9, R17).</summary>
public interface INotificationReader
{
    /// <summary>The notification, or <see langword="null"/>.</summary>
    ValueTask<Notification?> GetNotificationAsync(NotificationId notificationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> of the member's notifications in the workspace, ordered by
    /// <see cref="Notification.CreatedAt"/> descending then <see cref="Notification.Id"/> descending, starting strictly
    /// after <paramref name="after"/>; only unread ones when <paramref name="unreadOnly"/>.
    /// </summary>
    ValueTask<IReadOnlyList<Notification>> ListNotificationsAsync(
        WorkspaceId workspaceId, StaffId recipient, bool unreadOnly, NotificationCursor? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many of the member's notifications in the workspace are unread.</summary>
    ValueTask<int> CountUnreadNotificationsAsync(WorkspaceId workspaceId, StaffId recipient, CancellationToken cancellationToken = default);
}

/// <summary>Reads of attachment records and download links (R11). The bytes are in the <see cref="IAttachmentStore"/>.</summary>
public interface IAttachmentReader
{
    /// <summary>The attachment, or <see langword="null"/>.</summary>
    ValueTask<Attachment?> GetAttachmentAsync(AttachmentId attachmentId, CancellationToken cancellationToken = default);

    /// <summary>The download link with this token hash, or <see langword="null"/>.</summary>
    ValueTask<AttachmentLink?> FindAttachmentLinkAsync(string tokenHash, CancellationToken cancellationToken = default);
}

/// <summary>Reads of the SMS credit ledger (R15).</summary>
public interface ICreditReader
{
    /// <summary>The organisation's balance: the sum of its ledger.</summary>
    ValueTask<int> GetCreditBalanceAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The organisation's ledger, oldest first.</summary>
    ValueTask<IReadOnlyList<CreditLedgerEntry>> ListCreditLedgerAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);
}

/// <summary>Reads of message templates (R16).</summary>
public interface ITemplateReader
{
    /// <summary>The template, or <see langword="null"/>. Visibility is the caller's business, not the store's.</summary>
    ValueTask<MessageTemplate?> GetTemplateAsync(TemplateId templateId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The templates <paramref name="owner"/> may use in the workspace: the workspace's shared templates (whoever owns
    /// them) and <paramref name="owner"/>'s personal templates there; never another member's personal ones. Ordered by
    /// <see cref="MessageTemplate.NameKey"/> (ordinal), then <see cref="MessageTemplate.IsShared"/> (personal first),
    /// then id.
    /// </summary>
    ValueTask<IReadOnlyList<MessageTemplate>> ListTemplatesAsync(WorkspaceId workspaceId, StaffId owner, CancellationToken cancellationToken = default);
}

/// <summary>Claiming outbox work (R20).</summary>
public interface IOutboxStore
{
    /// <summary>
    /// Claims up to <paramref name="maxCount"/> entries that are due (<see cref="OutboxEntry.NextAttemptAt"/> at or before
    /// <paramref name="now"/>) and not held under an unexpired lease, leasing them to <paramref name="owner"/> until
    /// <paramref name="now"/> + <paramref name="lease"/>. Safe when several dispatcher instances claim at once: an entry
    /// is handed to one of them only. An entry whose lease lapsed (its instance died) is claimable again.
    /// </summary>
    ValueTask<IReadOnlyList<OutboxEntry>> ClaimOutboxAsync(string owner, NodaTime.Instant now, NodaTime.Duration lease, int maxCount, CancellationToken cancellationToken = default);
}

/// <summary>Reads of the audit trail (R19).</summary>
public interface IAuditReader
{
    /// <summary>Events matching the query, oldest first.</summary>
    ValueTask<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default);
}

/// <summary>
/// The storage the SDK runs on. Implement it to keep the SDK's data in your own database; run the conformance kit
/// in <c>Messaging.Testing</c> against your implementation to prove it keeps every contract.
/// </summary>
/// <remarks>
/// <para>Reads are exposed through the reader interfaces it inherits. Every write goes through a
/// <see cref="IMessagingUnitOfWork"/>: the SDK stages all the writes of one operation and commits them together,
/// so an operation either happens whole or not at all (R21).</para>
/// <para>Implementations are thread-safe and may be registered as singletons.</para>
/// </remarks>
public interface IMessagingStore : IWorkspaceReader, IPatientReader, IConversationReader, IMessageReader, IReplyTokenReader, ICreditReader, IOutboxStore, IAuditReader,
    INotificationReader, IAttachmentReader, ITemplateReader, IDirectMessageReader, IInternalMessageReader
{
    /// <summary>Begins a unit of work. Nothing is written until <see cref="IMessagingUnitOfWork.CommitAsync"/>.</summary>
    ValueTask<IMessagingUnitOfWork> BeginAsync(CancellationToken cancellationToken = default);
}

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
/// <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.LeaseLost"/>;</description></item>
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

    /// <summary>Adds a reply token and marks the conversation's other active tokens superseded (R12).</summary>
    void IssueReplyToken(ReplyToken token);

    /// <summary>Marks an active reply token used; fails the commit if it is not active any more (R12).</summary>
    void SpendReplyToken(string tokenHash, NodaTime.Instant usedAt);

    /// <summary>Sets a number's opt-out state.</summary>
    void SetOptOut(OptOutState state);

    /// <summary>Adds a notification.</summary>
    void AddNotification(Notification notification);

    /// <summary>Marks a notification read at <paramref name="readAt"/>; a notification already read keeps its time, a missing one is not an error.</summary>
    void MarkNotificationRead(NotificationId notificationId, NodaTime.Instant readAt);

    /// <summary>Adds an attachment record (its bytes are already in the <see cref="IAttachmentStore"/>).</summary>
    void AddAttachment(Attachment attachment);

    /// <summary>Adds an attachment download link.</summary>
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
