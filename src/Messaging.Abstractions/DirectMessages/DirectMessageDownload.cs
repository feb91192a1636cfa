namespace Messaging;

/// <summary>An attachment of an unlocked Direct Message, with a download link minted for that unlock (R11).</summary>
/// <param name="AttachmentId">The attachment.</param>
/// <param name="FileName">Its file name. Patient data.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="DownloadLink">
/// <c>{PublicBaseUrl}a/{token}</c>, opened with <see cref="IAttachmentService.OpenLinkAsync"/>; only the token's hash is
/// stored, and it expires like any download link.
/// </param>
public sealed record DirectMessageDownload(AttachmentId AttachmentId, string FileName, string ContentType, long Length, Uri DownloadLink)
{
    /// <summary>Ids only: no file name or token reaches a log through this method.</summary>
    public override string ToString() => $"DirectMessageDownload {{ AttachmentId = {AttachmentId}, ContentType = {ContentType}, Length = {Length} }}";
}
