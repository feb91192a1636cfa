namespace Messaging.DirectMessages;

/// <summary>
/// Direct Messages (R18) behind their one public interface: what staff do (send, resend the code, view, audit trail)
/// is <see cref="StaffDirectMessageService"/>, what the patient does (check the link, unlock with the code under the
/// wrong-code lock) is <see cref="DirectMessageUnlockService"/>.
/// </summary>
internal sealed class DirectMessageService(StaffDirectMessageService staff, DirectMessageUnlockService unlock) : IDirectMessageService
{
    public Task<DirectMessageView> SendAsync(StaffId actor, SendDirectMessageRequest request, CancellationToken cancellationToken = default)
        => staff.SendAsync(actor, request, cancellationToken);

    public Task<DirectMessageLinkStatus> CheckLinkAsync(string linkToken, CancellationToken cancellationToken = default)
        => unlock.CheckLinkAsync(linkToken, cancellationToken);

    public Task<DirectMessageUnlockResult> UnlockAsync(string linkToken, string accessCode, CancellationToken cancellationToken = default)
        => unlock.UnlockAsync(linkToken, accessCode, cancellationToken);

    public Task<DirectMessageView> ResendCodeAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
        => staff.ResendCodeAsync(actor, id, cancellationToken);

    public Task<DirectMessageView> GetAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
        => staff.GetAsync(actor, id, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> GetAuditTrailAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
        => staff.GetAuditTrailAsync(actor, id, cancellationToken);
}
