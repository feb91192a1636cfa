namespace Messaging.Storage;

/// <summary>Reads of attachment records and download links (R11). The bytes are in the <see cref="IAttachmentStore"/>.</summary>
public interface IAttachmentReader
{
    /// <summary>The attachment, or <see langword="null"/>.</summary>
    ValueTask<Attachment?> GetAttachmentAsync(AttachmentId attachmentId, CancellationToken cancellationToken = default);

    /// <summary>The download link with this token hash, or <see langword="null"/>.</summary>
    ValueTask<AttachmentLink?> FindAttachmentLinkAsync(string tokenHash, CancellationToken cancellationToken = default);
}
