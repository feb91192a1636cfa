using NodaTime;

namespace Messaging;

/// <summary>
/// A staff-to-staff thread inside a workspace (R17), optionally about a patient. It never leaves the application: no
/// SMS or email carries its content, only an in-app notification and a content-free "you have a secure message" email.
/// </summary>
/// <remarks>
/// Internal threads are stored apart from patient conversations but share the SDK's id spaces: a thread's id is a
/// <see cref="ConversationId"/> and a message's a <see cref="MessageId"/>, so an in-app <see cref="Notification"/> of kind
/// <see cref="NotificationKind.InternalMessage"/> points at them through <see cref="Notification.ConversationId"/> and
/// <see cref="Notification.MessageId"/>. Only the thread's participants can read it. <see cref="Subject"/> may be
/// patient data; <see cref="ToString"/> prints ids only (R22).
/// </remarks>
public sealed record InternalThread
{
    /// <summary>Its id (in the same id space as patient conversations, never equal to one).</summary>
    public required ConversationId Id { get; init; }

    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace whose members take part.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The patient it is about, if any.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>A short subject, if any. May be patient data.</summary>
    public string? Subject { get; init; }

    /// <summary>The member who started it.</summary>
    public required StaffId StartedBy { get; init; }

    /// <summary>Everyone in the thread, the starter first; only they can read it and reply.</summary>
    public required IReadOnlyList<StaffId> Participants { get; init; }

    /// <summary>When it was started.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When its latest message was sent.</summary>
    public required Instant LastActivityAt { get; init; }

    /// <summary>The optimistic-concurrency version, raised by every update.</summary>
    public required long Version { get; init; }

    /// <summary>Ids only.</summary>
    public override string ToString() => $"InternalThread {{ Id = {Id}, WorkspaceId = {WorkspaceId}, Participants = {Participants.Count}, Version = {Version} }}";
}

/// <summary>One message of an internal thread (R17).</summary>
/// <remarks><see cref="Body"/> may be patient data; <see cref="ToString"/> prints ids only (R22).</remarks>
public sealed record InternalMessage
{
    /// <summary>Its id.</summary>
    public required MessageId Id { get; init; }

    /// <summary>The thread.</summary>
    public required ConversationId ThreadId { get; init; }

    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>Who wrote it.</summary>
    public required StaffId SentBy { get; init; }

    /// <summary>The text.</summary>
    public required string Body { get; init; }

    /// <summary>When it was sent.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>Ids only.</summary>
    public override string ToString() => $"InternalMessage {{ Id = {Id}, ThreadId = {ThreadId}, SentBy = {SentBy} }}";
}

/// <summary>A new internal thread and its first message (R17).</summary>
public sealed record SendInternalMessageRequest
{
    /// <summary>The workspace; the sender and every recipient must be members of it, every team one of its teams.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The colleagues it goes to (up to 20, not the sender); may be empty when <see cref="Teams"/> names a team.</summary>
    public required IReadOnlyList<StaffId> Recipients { get; init; }

    /// <summary>
    /// Teams of the workspace it goes to (up to 5), e.g. "Admin" for the practice guide's "Message to Admin": each team's
    /// current members (the sender excepted) become recipients — each is notified, and any of them can reply in the thread.
    /// A team of another workspace is refused with <see cref="MessagingErrorCodes.TeamNotFound"/>, a team with nobody to
    /// receive it with <see cref="MessagingErrorCodes.TeamEmpty"/>. Members who join a team later do not join the thread.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<TeamId> Teams { get; init; } = [];

    /// <summary>The patient it is about, if any (a patient of the workspace's organisation).</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>A short subject, if any.</summary>
    public string? Subject { get; init; }

    /// <summary>The text.</summary>
    public required string Body { get; init; }

    /// <summary>Ids and counts only: the subject and body may be about a patient (R22).</summary>
    public override string ToString()
        => $"SendInternalMessageRequest {{ WorkspaceId = {WorkspaceId}, Recipients = {Recipients.Count}, PatientId = {PatientId} }}";
}

/// <summary>An internal thread with its messages, oldest first.</summary>
/// <param name="Thread">The thread.</param>
/// <param name="Messages">Its messages, oldest first.</param>
public sealed record InternalThreadView(InternalThread Thread, IReadOnlyList<InternalMessage> Messages);

/// <summary>
/// Internal messages (R17): staff-to-staff, optionally about a patient, never sent over SMS or email. Each recipient gets
/// an in-app notification (kind <see cref="NotificationKind.InternalMessage"/>) and an email that says only that a secure
/// message is waiting (the host-overridable <c>SystemEmailOptions.InternalMessageNotification</c>); they reply in the same thread.
/// </summary>
/// <remarks>
/// Every call is on behalf of <c>actor</c>, who must be a member of the workspace; reading and replying also need the
/// actor to be a participant. Sends, replies and views are audited (R19).
/// </remarks>
public interface IInternalMessageService
{
    /// <summary>Starts a thread with its first message and notifies the recipients.</summary>
    /// <exception cref="MessagingValidationException">No recipients, too many, the sender among them, or an empty or over-long body.</exception>
    /// <exception cref="MessagingNotFoundException">A recipient is not a member of the workspace, or the patient is unknown.</exception>
    Task<InternalThreadView> SendAsync(StaffId actor, SendInternalMessageRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replies in a thread and notifies every other participant.</summary>
    Task<InternalMessage> ReplyAsync(StaffId actor, ConversationId threadId, string body, CancellationToken cancellationToken = default);

    /// <summary>A thread and its messages, for a participant. Audited as a view.</summary>
    Task<InternalThreadView> GetThreadAsync(StaffId actor, ConversationId threadId, CancellationToken cancellationToken = default);

    /// <summary>The actor's threads in the workspace, latest activity first.</summary>
    /// <param name="actor">The member.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="limit">At most this many (1 to 100).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<InternalThread>> ListThreadsAsync(StaffId actor, WorkspaceId workspaceId, int limit = 25, CancellationToken cancellationToken = default);
}
