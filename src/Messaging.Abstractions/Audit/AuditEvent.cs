using NodaTime;

namespace Messaging;

/// <summary>Who did something recorded in the audit trail (R19).</summary>
public enum AuditActorKind
{
    /// <summary>A staff member, by the host's staff id.</summary>
    Staff = 0,

    /// <summary>A patient acting through a link (a reply, an unlock), by the host's patient id.</summary>
    Patient = 1,

    /// <summary>The host application or the SDK itself (provisioning, the outbox dispatcher).</summary>
    System = 2,
}

/// <summary>The actor of an audit event.</summary>
/// <param name="Kind">Staff, patient or system.</param>
/// <param name="Id">The staff or patient id; <c>system</c> for the system.</param>
public readonly record struct AuditActor(AuditActorKind Kind, string Id)
{
    /// <summary>The host or the SDK acting on its own.</summary>
    public static AuditActor System { get; } = new(AuditActorKind.System, "system");

    /// <summary>A staff member.</summary>
    public static AuditActor Staff(StaffId staffId) => new(AuditActorKind.Staff, staffId.Value);

    /// <summary>A patient.</summary>
    public static AuditActor Patient(PatientId patientId) => new(AuditActorKind.Patient, patientId.Value);
}

/// <summary>
/// What happened, as a stable dotted name. An extensible "smart enum": the SDK's own actions are the static
/// properties; hosts and plug-ins may record their own.
/// </summary>
/// <param name="Value">The dotted name, e.g. <c>conversation.assigned</c>.</param>
public readonly record struct AuditAction(string Value)
{
    /// <summary>An organisation and its default workspace were created.</summary>
    public static AuditAction OrganisationCreated { get; } = new("organisation.created");
    /// <summary>A team workspace was created.</summary>
    public static AuditAction WorkspaceCreated { get; } = new("workspace.created");
    /// <summary>A member was added to a workspace.</summary>
    public static AuditAction MemberAdded { get; } = new("member.added");
    /// <summary>A member was removed from a workspace.</summary>
    public static AuditAction MemberRemoved { get; } = new("member.removed");
    /// <summary>A member's role changed.</summary>
    public static AuditAction MemberRoleChanged { get; } = new("member.role_changed");
    /// <summary>A team was created or its members changed.</summary>
    public static AuditAction TeamChanged { get; } = new("team.changed");
    /// <summary>A patient record was registered or updated.</summary>
    public static AuditAction PatientRegistered { get; } = new("patient.registered");
    /// <summary>A patient was looked up by NHS number and date of birth.</summary>
    public static AuditAction PatientLookedUp { get; } = new("patient.looked_up");
    /// <summary>A patient's record was read by id (R19).</summary>
    public static AuditAction PatientViewed { get; } = new("patient.viewed");
    /// <summary>A conversation's messages were read (R19).</summary>
    public static AuditAction ConversationMessagesViewed { get; } = new("conversation.messages_viewed");
    /// <summary>A conversation was started.</summary>
    public static AuditAction ConversationStarted { get; } = new("conversation.started");
    /// <summary>A conversation was viewed.</summary>
    public static AuditAction ConversationViewed { get; } = new("conversation.viewed");
    /// <summary>A conversation was assigned.</summary>
    public static AuditAction ConversationAssigned { get; } = new("conversation.assigned");
    /// <summary>A conversation was marked done or reopened.</summary>
    public static AuditAction ConversationStatusChanged { get; } = new("conversation.status_changed");

    /// <summary>Staff sent a message (queued for its provider).</summary>
    public static AuditAction MessageSent { get; } = new("message.sent");
    /// <summary>A message failed for good.</summary>
    public static AuditAction MessageFailed { get; } = new("message.failed");
    /// <summary>A patient replied through a reply link.</summary>
    public static AuditAction PatientReplied { get; } = new("patient.replied");
    /// <summary>Staff uploaded an attachment, or a patient sent one with a reply (R11).</summary>
    public static AuditAction AttachmentUploaded { get; } = new("attachment.uploaded");
    /// <summary>An attachment was downloaded, by staff or through a patient's download link (R11).</summary>
    public static AuditAction AttachmentDownloaded { get; } = new("attachment.downloaded");
    /// <summary>Credits were bought.</summary>
    public static AuditAction CreditsPurchased { get; } = new("credits.purchased");
    /// <summary>A number opted out of, or back into, SMS.</summary>
    public static AuditAction OptOutChanged { get; } = new("sms.opt_out_changed");

    /// <summary>Staff sent a Direct Message (its link email and code SMS queued).</summary>
    public static AuditAction DirectMessageSent { get; } = new("directmessage.sent");
    /// <summary>The patient unlocked a Direct Message with its link and code: its content was shown.</summary>
    public static AuditAction DirectMessageUnlocked { get; } = new("directmessage.unlocked");
    /// <summary>A wrong access code was entered for a Direct Message.</summary>
    public static AuditAction DirectMessageUnlockFailed { get; } = new("directmessage.unlock_failed");
    /// <summary>A Direct Message locked after too many wrong codes.</summary>
    public static AuditAction DirectMessageLocked { get; } = new("directmessage.locked");
    /// <summary>An unlock attempt was refused without checking the code: the message was locked or the link or code expired.</summary>
    public static AuditAction DirectMessageUnlockRefused { get; } = new("directmessage.unlock_refused");
    /// <summary>Staff viewed a Direct Message's content.</summary>
    public static AuditAction DirectMessageViewed { get; } = new("directmessage.viewed");
    /// <summary>Staff resent a Direct Message's access code (and link, if it had expired).</summary>
    public static AuditAction DirectMessageCodeResent { get; } = new("directmessage.code_resent");

    /// <summary>A staff member sent an internal message (a new thread or a reply).</summary>
    public static AuditAction InternalMessageSent { get; } = new("internal.message_sent");
    /// <summary>A staff member read an internal thread.</summary>
    public static AuditAction InternalThreadViewed { get; } = new("internal.thread_viewed");

    /// <summary>A message template was created (R16).</summary>
    public static AuditAction TemplateCreated { get; } = new("template.created");
    /// <summary>A message template's name or bodies were edited.</summary>
    public static AuditAction TemplateEdited { get; } = new("template.edited");
    /// <summary>A message template was deleted.</summary>
    public static AuditAction TemplateDeleted { get; } = new("template.deleted");
    /// <summary>A message template was shared with its workspace.</summary>
    public static AuditAction TemplateShared { get; } = new("template.shared");
    /// <summary>A shared message template was made personal to its owner again.</summary>
    public static AuditAction TemplateUnshared { get; } = new("template.unshared");

    /// <summary>A page of a patient's communication history was read (R25).</summary>
    public static AuditAction PatientHistoryViewed { get; } = new("patient.history_viewed");

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>An entry of the append-only audit trail (R19): who, what, when, which patient.</summary>
/// <remarks>Details carry ids and states only, never patient data or message content (R22).</remarks>
public sealed record AuditEvent
{
    /// <summary>Its id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When it happened.</summary>
    public required Instant OccurredAt { get; init; }

    /// <summary>The organisation it happened in.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace, when there is one.</summary>
    public WorkspaceId? WorkspaceId { get; init; }

    /// <summary>Who did it.</summary>
    public required AuditActor Actor { get; init; }

    /// <summary>What they did.</summary>
    public required AuditAction Action { get; init; }

    /// <summary>Which patient it concerned, if any.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>The id of the thing acted on (a conversation, a member, a template), if any.</summary>
    public string? TargetId { get; init; }

    /// <summary>Extra facts as ids and states, e.g. <c>to = Team:derm</c>.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}

/// <summary>A filter over the audit trail.</summary>
public sealed record AuditQuery
{
    /// <summary>The organisation whose events to read.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>Only events about this patient.</summary>
    public PatientId? PatientId { get; init; }

    /// <summary>Only events about this target (e.g. a conversation id).</summary>
    public string? TargetId { get; init; }

    /// <summary>Only events with this action.</summary>
    public AuditAction? Action { get; init; }

    /// <summary>At most this many events, oldest first. The default value is 1000.</summary>
    public int Limit { get; init; } = 1000;
}
