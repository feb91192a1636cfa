using Messaging.Replies;
using Microsoft.Extensions.Options;
using Messaging.Sending;
using NodaTime;

namespace Messaging.Attachments;

/// <summary>
/// Issues patients' download links (R11): <c>{PublicBaseUrl}a/{token}</c>, the token 256 bits and stored only as its
/// SHA-256, expiring after <see cref="AttachmentOptions.DownloadLinkLifetime"/>. A link sent with a message is derived
/// from the server key, the message and the attachment (<see cref="MessageSecrets"/>), so a retry of the message sends the
/// same link (R29); a link offered on a page (an unlocked Direct Message) is drawn at random on each view.
/// </summary>
internal sealed class AttachmentLinks(IOptions<AttachmentOptions> options, IOptions<PatientMessagingOptions> messagingOptions, MessageSecrets secrets, IClock clock)
{
    /// <summary>
    /// The link for an attachment sent with a message, and its stored record: the same link on every attempt at the message
    /// (adding it again stores nothing new).
    /// </summary>
    public (AttachmentLink Record, Uri Link) Issue(Message message, AttachmentId attachmentId)
        => Issue(secrets.AttachmentToken(message.Id, attachmentId), message.Id, message.OrganisationId, attachmentId);

    /// <summary>A fresh random link for an attachment offered under a message (e.g. an unlocked Direct Message's email), and its stored record.</summary>
    public (AttachmentLink Record, Uri Link) Issue(MessageId messageId, OrganisationId organisationId, AttachmentId attachmentId)
        => Issue(ReplyTokens.NewToken(), messageId, organisationId, attachmentId);

    private (AttachmentLink Record, Uri Link) Issue(string token, MessageId messageId, OrganisationId organisationId, AttachmentId attachmentId)
    {
        var now = clock.GetCurrentInstant();
        var record = new AttachmentLink
        {
            TokenHash = ReplyTokens.Hash(token),
            AttachmentId = attachmentId,
            MessageId = messageId,
            OrganisationId = organisationId,
            IssuedAt = now,
            ExpiresAt = now + Duration.FromTimeSpan(options.Value.DownloadLinkLifetime),
        };
        return (record, MessagingPublicUrls.Resolve(messagingOptions.Value, "a/" + token));
    }

    /// <summary>A link of the same length as a real one, to count SMS segments before tokens exist.</summary>
    public Uri PlaceholderLink => MessagingPublicUrls.Resolve(messagingOptions.Value, "a/" + new string('x', ReplyTokens.TokenLength));
}

/// <summary>The attachment store used when the host registered none: every call explains what to do.</summary>
internal sealed class UnconfiguredAttachmentStore : IAttachmentStore
{
    public Task WriteAsync(AttachmentId id, Stream content, CancellationToken cancellationToken = default) => throw Missing();

    public Task<Stream?> OpenReadAsync(AttachmentId id, CancellationToken cancellationToken = default) => throw Missing();

    public Task DeleteAsync(AttachmentId id, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static InvalidOperationException Missing() => new(
        "No attachment store is registered. Call AddFileSystemAttachmentStore(path) on the patient-messaging builder, or register your own IAttachmentStore.");
}
