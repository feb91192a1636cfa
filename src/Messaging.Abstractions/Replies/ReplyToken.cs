using NodaTime;

namespace Messaging;

/// <summary>Where a reply token is in its life (R12).</summary>
public enum ReplyTokenState
{
    /// <summary>Issued and not yet used.</summary>
    Active = 0,

    /// <summary>The patient replied with it; it cannot be used again.</summary>
    Used = 1,

    /// <summary>A newer reply-enabled message of the same conversation replaced it before it was used.</summary>
    Superseded = 2,

    /// <summary>
    /// Issued for a message that has not yet reached a provider (R29): it supersedes nothing until its message is accepted
    /// (<see cref="Storage.IMessagingUnitOfWork.ActivateReplyToken"/>), so a message that never arrives does not kill the
    /// conversation's working link. A patient who already holds it (an uncertain result may hide an SMS that did go out)
    /// may use it, like an active one.
    /// </summary>
    Pending = 3,

    /// <summary>
    /// Its message failed for good before any provider took it (refused, or out of attempts): the link dies with the
    /// message (<see cref="Storage.IMessagingUnitOfWork.RevokeReplyToken"/>), and the conversation's working link stays.
    /// </summary>
    Revoked = 4,
}

/// <summary>
/// A stored reply token (R12). Only the SHA-256 hash of the token is stored: the token itself exists only in the
/// link sent to the patient.
/// </summary>
public sealed record ReplyToken
{
    /// <summary>The lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; init; }

    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The conversation a reply lands in.</summary>
    public required ConversationId ConversationId { get; init; }

    /// <summary>The staff message that allowed the reply.</summary>
    public required MessageId MessageId { get; init; }

    /// <summary>The patient who may reply.</summary>
    public required PatientId PatientId { get; init; }

    /// <summary>When it was issued.</summary>
    public required Instant IssuedAt { get; init; }

    /// <summary>When it stops working.</summary>
    public required Instant ExpiresAt { get; init; }

    /// <summary>Pending, active, used, superseded or revoked.</summary>
    public required ReplyTokenState State { get; init; }

    /// <summary>When the patient used it.</summary>
    public Instant? UsedAt { get; init; }
}

/// <summary>What a reply link is worth right now, as the host should show it to the patient (R12).</summary>
public enum ReplyLinkStatus
{
    /// <summary>The patient may reply.</summary>
    Valid = 0,

    /// <summary>The patient already replied through this link.</summary>
    AlreadyUsed = 1,

    /// <summary>Staff sent a newer message; its link is the one to use.</summary>
    Superseded = 2,

    /// <summary>The link is too old.</summary>
    Expired = 3,

    /// <summary>No such link.</summary>
    Unknown = 4,
}

/// <summary>What a patient sees behind a reply link.</summary>
/// <param name="Status">Whether they may reply, and if not, why.</param>
/// <param name="StaffMessage">The staff message they are replying to, when <see cref="ReplyLinkStatus.Valid"/>.</param>
/// <param name="SenderName">The sender's display name (never a phone number or address), when valid.</param>
public sealed record ReplyLinkView(ReplyLinkStatus Status, string? StaffMessage = null, string? SenderName = null)
{
    /// <summary>The status only: the message is patient data (R22).</summary>
    public override string ToString() => $"ReplyLinkView {{ Status = {Status} }}";
}

/// <summary>The outcome of a patient's reply.</summary>
/// <param name="Status"><see cref="ReplyLinkStatus.Valid"/> when the reply was recorded, or why it was refused.</param>
/// <param name="ReplyId">The recorded reply, when accepted.</param>
public sealed record PatientReplyResult(ReplyLinkStatus Status, MessageId? ReplyId = null)
{
    /// <summary>Whether the reply was recorded.</summary>
    public bool Accepted => Status == ReplyLinkStatus.Valid;
}

/// <summary>
/// "Allow patient to reply" (R12): what a reply link shows, and the patient's one reply through it. Every state of a
/// link is a distinct result, not an exception.
/// </summary>
public interface IPatientReplyService
{
    /// <summary>What the link's token is worth now, and the message it answers when valid.</summary>
    Task<ReplyLinkView> OpenAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the patient's reply in the conversation and spends the token, reopening the conversation and marking it
    /// unread. Exactly one of several concurrent replies with one token is accepted.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The only optional parameter is the trailing CancellationToken, as in the BCL's own async overloads; the overloads differ by a required parameter.")]
    Task<PatientReplyResult> ReplyAsync(string token, string body, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="ReplyAsync(string, string, CancellationToken)"/>, with a file (R11). The file is checked (size, type)
    /// before anything is recorded; a refused file throws and records nothing, and a reply refused for its token
    /// leaves no file behind.
    /// </summary>
    /// <exception cref="MessagingValidationException">The file is too large or of a refused type.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The only optional parameter is the trailing CancellationToken, as in the BCL's own async overloads; the overloads differ by a required parameter.")]
    Task<PatientReplyResult> ReplyAsync(string token, string body, AttachmentUpload attachment, CancellationToken cancellationToken = default);
}
