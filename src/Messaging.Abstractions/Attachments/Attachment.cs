using NodaTime;

namespace Messaging;

/// <summary>
/// A file sent with a message or a patient's reply (R11). The record holds what the SDK knows about it; the bytes
/// live in the host's <see cref="IAttachmentStore"/>.
/// </summary>
/// <remarks><see cref="FileName"/> may name the patient, so it is patient data; <see cref="ToString"/> prints ids only (R22).</remarks>
public sealed record Attachment
{
    /// <summary>Its id; also its key in the <see cref="IAttachmentStore"/>.</summary>
    public required AttachmentId Id { get; init; }

    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace it was uploaded to; only its members open it, and patients through a download link.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The file name as uploaded, without any directory. Patient data.</summary>
    public required string FileName { get; init; }

    /// <summary>The media type, e.g. <c>application/pdf</c>, lower case.</summary>
    public required string ContentType { get; init; }

    /// <summary>Its size in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>The lower-case hex SHA-256 of its content.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The staff member who uploaded it; <see langword="null"/> when a patient sent it with a reply.</summary>
    public StaffId? UploadedBy { get; init; }

    /// <summary>The patient who sent it with a reply, if a patient did.</summary>
    public PatientId? UploadedByPatient { get; init; }

    /// <summary>When it was uploaded.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>Ids only.</summary>
    public override string ToString() => $"Attachment {{ Id = {Id}, ContentType = {ContentType}, Length = {Length} }}";
}

/// <summary>
/// A download link for an attachment sent to a patient (R11). Only the SHA-256 hash of the link's token is stored:
/// the token exists only in the text the patient received.
/// </summary>
public sealed record AttachmentLink
{
    /// <summary>The lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; init; }

    /// <summary>The attachment it opens.</summary>
    public required AttachmentId AttachmentId { get; init; }

    /// <summary>The message it was sent with.</summary>
    public required MessageId MessageId { get; init; }

    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>When it was issued.</summary>
    public required Instant IssuedAt { get; init; }

    /// <summary>When it stops working.</summary>
    public required Instant ExpiresAt { get; init; }
}

/// <summary>A file to upload. The SDK reads <see cref="Content"/> once, to the end, and does not dispose it.</summary>
/// <param name="FileName">The file's name; any directory part is dropped.</param>
/// <param name="ContentType">Its media type, e.g. <c>application/pdf</c>; checked against the allowed types and the content's signature.</param>
/// <param name="Content">The bytes.</param>
public sealed record AttachmentUpload(string FileName, string ContentType, Stream Content)
{
    /// <summary>Ids only: the file name may be patient data.</summary>
    public override string ToString() => $"AttachmentUpload {{ ContentType = {ContentType} }}";
}

/// <summary>What a download link is worth right now.</summary>
public enum AttachmentLinkStatus
{
    /// <summary>The file can be downloaded.</summary>
    Valid = 0,

    /// <summary>The link is too old.</summary>
    Expired = 1,

    /// <summary>No such link.</summary>
    Unknown = 2,
}

/// <summary>An opened attachment. Dispose it to close <see cref="Content"/>.</summary>
/// <param name="Status">Whether the file could be opened.</param>
/// <param name="Attachment">The attachment, when <see cref="AttachmentLinkStatus.Valid"/>.</param>
/// <param name="Content">Its bytes, when <see cref="AttachmentLinkStatus.Valid"/>.</param>
public sealed record AttachmentDownload(AttachmentLinkStatus Status, Attachment? Attachment = null, Stream? Content = null) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// Where attachment bytes are kept (R11). The SDK ships a file-system store and an in-memory one; implement this to
/// keep them in blob storage. Keys are SDK-generated <see cref="AttachmentId"/>s; content is never overwritten.
/// </summary>
public interface IAttachmentStore
{
    /// <summary>
    /// Writes the content under <paramref name="id"/>, reading <paramref name="content"/> to its end. If reading
    /// throws (the SDK aborts an upload over the size limit that way), nothing may remain stored under the id.
    /// </summary>
    Task WriteAsync(AttachmentId id, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens the content for reading, or returns <see langword="null"/> when nothing is stored under the id.</summary>
    Task<Stream?> OpenReadAsync(AttachmentId id, CancellationToken cancellationToken = default);

    /// <summary>Deletes the content; missing is not an error.</summary>
    Task DeleteAsync(AttachmentId id, CancellationToken cancellationToken = default);
}

/// <summary>Uploading and opening attachments (R11).</summary>
/// <remarks>
/// Staff upload a file first and then send it with <see cref="SendMessageRequest.Attachments"/>; the patient receives
/// a download link with its own unguessable, expiring token. Size and content type are checked while the file is read,
/// and a refused file leaves nothing behind.
/// </remarks>
public interface IAttachmentService
{
    /// <summary>Uploads a file into the workspace for a later send.</summary>
    /// <exception cref="MessagingValidationException">Too large (<see cref="MessagingErrorCodes.AttachmentTooLarge"/>) or a refused type (<see cref="MessagingErrorCodes.AttachmentTypeRefused"/>).</exception>
    Task<Attachment> UploadAsync(StaffId actor, WorkspaceId workspaceId, AttachmentUpload upload, CancellationToken cancellationToken = default);

    /// <summary>Opens an attachment of a workspace the actor is a member of (staff side).</summary>
    /// <exception cref="MessagingNotFoundException">No such attachment in a workspace the actor can see.</exception>
    Task<AttachmentDownload> OpenAsync(StaffId actor, AttachmentId attachmentId, CancellationToken cancellationToken = default);

    /// <summary>Opens the attachment behind a patient's download link, or says why not.</summary>
    Task<AttachmentDownload> OpenLinkAsync(string token, CancellationToken cancellationToken = default);
}
