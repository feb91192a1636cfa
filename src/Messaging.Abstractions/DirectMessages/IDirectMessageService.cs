namespace Messaging;

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
