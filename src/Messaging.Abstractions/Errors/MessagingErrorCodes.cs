namespace Messaging;

/// <summary>
/// The stable error codes carried by <see cref="MessagingException.ErrorCode"/>. Codes never change
/// meaning once published; new codes may be added.
/// </summary>
public static class MessagingErrorCodes
{
    // Validation
    /// <summary>A required value was missing or empty.</summary>
    public const string Required = "validation.required";
    /// <summary>A value was longer than allowed.</summary>
    public const string TooLong = "validation.too_long";
    /// <summary>A value was outside its allowed range.</summary>
    public const string OutOfRange = "validation.out_of_range";
    /// <summary>A team named as recipients has no current member who could receive it (R17).</summary>
    public const string TeamEmpty = "team.empty";
    /// <summary>An id was malformed.</summary>
    public const string InvalidId = "validation.invalid_id";
    /// <summary>An NHS number was not 10 digits or its Modulus 11 check digit was wrong.</summary>
    public const string InvalidNhsNumber = "patient.nhs_number_invalid";
    /// <summary>A phone number was not a valid mobile number.</summary>
    public const string InvalidPhoneNumber = "patient.phone_number_invalid";
    /// <summary>An email address was malformed.</summary>
    public const string InvalidEmail = "patient.email_invalid";
    /// <summary>A date of birth was in the future or implausibly old.</summary>
    public const string InvalidDateOfBirth = "patient.date_of_birth_invalid";
    /// <summary>A pagination cursor was malformed or belonged to another query.</summary>
    public const string InvalidCursor = "inbox.cursor_invalid";
    /// <summary>Templates can be shared only in a team workspace, not in an organisation's default one (R16).</summary>
    public const string TemplateSharingNotAllowed = "template.sharing_not_allowed";

    // Authorization
    /// <summary>The acting staff member is not a member of the workspace (R1).</summary>
    public const string NotAMember = "auth.not_a_member";
    /// <summary>The action needs a workspace admin (R3).</summary>
    public const string NotAnAdmin = "auth.not_an_admin";
    /// <summary>The workspace has no shared inbox, so a member sees only their own conversations (R2, R5).</summary>
    public const string SharedInboxRequired = "auth.shared_inbox_required";
    /// <summary>The actor does not take part in the internal thread (R17): only its participants read and reply.</summary>
    public const string NotAParticipant = "auth.not_a_participant";
    /// <summary>The conversation belongs to another workspace, or is not visible to the actor.</summary>
    public const string ConversationNotVisible = "auth.conversation_not_visible";
    /// <summary>Only the template's owner, or a workspace admin for a shared template, may change or delete it (R16).</summary>
    public const string NotTemplateOwner = "auth.not_template_owner";

    // Not found
    /// <summary>No organisation with this id.</summary>
    public const string OrganisationNotFound = "organisation.not_found";
    /// <summary>No workspace with this id.</summary>
    public const string WorkspaceNotFound = "workspace.not_found";
    /// <summary>No team with this id in the workspace.</summary>
    public const string TeamNotFound = "team.not_found";
    /// <summary>No member with this staff id in the workspace.</summary>
    public const string MemberNotFound = "member.not_found";
    /// <summary>No patient with this id, or no patient matching both NHS number and date of birth (R4).</summary>
    public const string PatientNotFound = "patient.not_found";
    /// <summary>No conversation with this id.</summary>
    public const string ConversationNotFound = "conversation.not_found";
    /// <summary>No message with this id.</summary>
    public const string MessageNotFound = "message.not_found";
    /// <summary>No Direct Message with this id.</summary>
    public const string DirectMessageNotFound = "directmessage.not_found";
    /// <summary>No internal thread with this id.</summary>
    public const string InternalThreadNotFound = "internal.thread_not_found";
    /// <summary>No template with this id that the actor may see: a personal template of someone else is not found either (R16).</summary>
    public const string TemplateNotFound = "template.not_found";

    // Conflicts
    /// <summary>The record changed since it was read (optimistic concurrency); read it again and retry.</summary>
    public const string ConcurrencyConflict = "conflict.concurrency";
    /// <summary>A record with this id or name already exists.</summary>
    public const string AlreadyExists = "conflict.already_exists";
    /// <summary>The assignee is not a member or team of the conversation's workspace (R8).</summary>
    public const string AssigneeNotInWorkspace = "conversation.assignee_not_in_workspace";
    /// <summary>The last admin of a workspace cannot be removed or demoted (R3).</summary>
    public const string LastAdmin = "workspace.last_admin";
    /// <summary>The organisation has too few SMS credits for the send (R15).</summary>
    public const string InsufficientCredits = "credits.insufficient";
    /// <summary>The recipient has opted out of SMS (R14).</summary>
    public const string RecipientOptedOut = "message.recipient_opted_out";
    /// <summary>The patient has no mobile number or email address for the channel.</summary>
    public const string RecipientMissing = "message.recipient_missing";
    /// <summary>
    /// The organisation has no provider route for the channel (R26): <c>Messaging:Routes</c> routes the channel, and
    /// names neither the organisation's providers for it nor a default. Refused before anything is charged or written.
    /// </summary>
    public const string NoRoute = "message.no_route";
    /// <summary>The channel cannot be used by this operation.</summary>
    public const string ChannelNotSupported = "message.channel_not_supported";
    /// <summary>Another dispatcher instance now holds the outbox entry (its lease lapsed).</summary>
    public const string LeaseLost = "outbox.lease_lost";
    /// <summary>An attachment is larger than the configured limit (R11).</summary>
    public const string AttachmentTooLarge = "attachment.too_large";
    /// <summary>An attachment's content type is not allowed, or its content is not what the type says (R11).</summary>
    public const string AttachmentTypeRefused = "attachment.type_refused";
    /// <summary>No such attachment, or not in the workspace (R11).</summary>
    public const string AttachmentNotFound = "attachment.not_found";
    /// <summary>No such notification for this staff member (R9).</summary>
    public const string NotificationNotFound = "notification.not_found";
    /// <summary>Too many Direct-Message code checks are queued for the memory-hard hash; try again shortly (R18).</summary>
    public const string DirectMessageBusy = "directmessage.busy";
    /// <summary>The reply token was used or superseded meanwhile (R12).</summary>
    public const string ReplyTokenSpent = "reply.token_spent";
    /// <summary>The same idempotency key was used with different content (R24).</summary>
    public const string IdempotencyKeyReused = "conflict.idempotency_key_reused";
    /// <summary>
    /// A template name is already used in the same set: the owner's personal templates in the workspace, or the
    /// workspace's shared templates; compared ignoring case and surrounding white space (R16).
    /// </summary>
    public const string TemplateNameTaken = "template.name_taken";
}
