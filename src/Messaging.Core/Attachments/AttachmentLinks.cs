using Messaging.Replies;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Messaging.Attachments;

/// <summary>
/// Mints patients' download links (R11): <c>{PublicBaseUrl}a/{token}</c>, the token 256 bits from the cryptographic
/// RNG and stored only as its SHA-256, expiring after <see cref="AttachmentOptions.DownloadLinkLifetime"/>.
/// </summary>
internal sealed class AttachmentLinks(IOptions<AttachmentOptions> options, IOptions<PatientMessagingOptions> messagingOptions, IClock clock)
{
    /// <summary>A fresh link for an attachment sent with a message, and its stored record.</summary>
    public (AttachmentLink Record, Uri Link) Issue(Message message, AttachmentId attachmentId) => Issue(message.Id, message.OrganisationId, attachmentId);

    /// <summary>A fresh link for an attachment offered under a message (e.g. an unlocked Direct Message's email), and its stored record.</summary>
    public (AttachmentLink Record, Uri Link) Issue(MessageId messageId, OrganisationId organisationId, AttachmentId attachmentId)
    {
        var token = ReplyTokens.NewToken();
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
        return (record, ReplyTokens.PublicLink(messagingOptions.Value, "a/" + token));
    }

    /// <summary>A link of the same length as a real one, to count SMS segments before tokens exist.</summary>
    public Uri PlaceholderLink => ReplyTokens.PublicLink(messagingOptions.Value, "a/" + new string('x', ReplyTokens.TokenLength));
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
