using Messaging.Replies;
using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Attachments;

/// <summary>
/// Attachments (R11): checks and stores uploads (bytes in the <see cref="IAttachmentStore"/>, the record in the
/// messaging store), opens them for staff, and serves patients' expiring download links.
/// </summary>
internal sealed class AttachmentService(
    IMessagingStore store,
    IAttachmentStore files,
    WorkspaceAccess access,
    IOptions<AttachmentOptions> options,
    IClock clock,
    ILogger<AttachmentService> logger) : IAttachmentService
{
    private readonly AttachmentOptions _options = options.Value;

    public async Task<Attachment> UploadAsync(StaffId actor, WorkspaceId workspaceId, AttachmentUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var attachment = await StoreBytesAsync(workspace.OrganisationId, workspaceId, upload, actor, patient: null, cancellationToken).ConfigureAwait(false);
        await CommitOrRemoveAsync(
            attachment,
            work =>
            {
                work.AddAttachment(attachment);
                work.AppendAudit(Event(clock, attachment.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.AttachmentUploaded, null, attachment.Id.ToString(), Details(attachment)));
            },
            cancellationToken).ConfigureAwait(false);
        return attachment;
    }

    public async Task<AttachmentDownload> OpenAsync(StaffId actor, AttachmentId attachmentId, CancellationToken cancellationToken = default)
    {
        var attachment = await store.GetAttachmentAsync(attachmentId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(attachmentId);
        await access.RequireMemberAsync(attachment.WorkspaceId, actor, cancellationToken).ConfigureAwait(false);
        var content = await files.OpenReadAsync(attachmentId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(attachmentId);
        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, attachment.OrganisationId, attachment.WorkspaceId, AuditActor.Staff(actor), AuditAction.AttachmentDownloaded, attachment.UploadedByPatient, attachment.Id.ToString())),
            cancellationToken).ConfigureAwait(false);
        return new AttachmentDownload(AttachmentLinkStatus.Valid, attachment, content);
    }

    public async Task<AttachmentDownload> OpenLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!ReplyTokens.HasTokenShape(token))
        {
            return new AttachmentDownload(AttachmentLinkStatus.Unknown);
        }

        var link = await store.FindAttachmentLinkAsync(ReplyTokens.Hash(token), cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return new AttachmentDownload(AttachmentLinkStatus.Unknown);
        }

        if (clock.GetCurrentInstant() >= link.ExpiresAt)
        {
            return new AttachmentDownload(AttachmentLinkStatus.Expired);
        }

        var attachment = await store.GetAttachmentAsync(link.AttachmentId, cancellationToken).ConfigureAwait(false);
        var message = await store.GetMessageAsync(link.MessageId, cancellationToken).ConfigureAwait(false);
        var content = attachment is null ? null : await files.OpenReadAsync(attachment.Id, cancellationToken).ConfigureAwait(false);
        if (attachment is null || message is null || content is null)
        {
            return new AttachmentDownload(AttachmentLinkStatus.Unknown);
        }

        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, attachment.OrganisationId, attachment.WorkspaceId, AuditActor.Patient(message.PatientId), AuditAction.AttachmentDownloaded, message.PatientId, attachment.Id.ToString(),
                new Dictionary<string, string> { ["message"] = message.Id.ToString() })),
            cancellationToken).ConfigureAwait(false);
        return new AttachmentDownload(AttachmentLinkStatus.Valid, attachment, content);
    }

    /// <summary>
    /// Checks the upload and writes its bytes to the attachment store, returning the record to commit. A refused upload
    /// (name, type, signature, size) throws and leaves no bytes behind.
    /// </summary>
    internal async Task<Attachment> StoreBytesAsync(
        OrganisationId organisationId, WorkspaceId workspaceId, AttachmentUpload upload, StaffId? staff, PatientId? patient, CancellationToken cancellationToken)
    {
        var id = AttachmentId.New();
        var fileName = AttachmentContent.CleanFileName(upload.FileName);
        var contentType = AttachmentContent.NormaliseContentType(upload.ContentType);
        if (contentType is null || !_options.AllowedContentTypes.Any(t => AttachmentContent.NormaliseContentType(t) == contentType))
        {
            Log.AttachmentRefused(logger, id, MessagingErrorCodes.AttachmentTypeRefused);
            throw AttachmentContent.TypeRefused(contentType ?? upload.ContentType, _options.AllowedContentTypes);
        }

        ArgumentNullException.ThrowIfNull(upload.Content);
        var head = new byte[AttachmentContent.SignatureLength];
        var headLength = await upload.Content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headLength == 0)
        {
            throw new MessagingValidationException(MessagingErrorCodes.Required, "The file is empty.", "content");
        }

        if (!AttachmentContent.MatchesSignature(contentType, head.AsSpan(0, headLength)))
        {
            Log.AttachmentRefused(logger, id, MessagingErrorCodes.AttachmentTypeRefused);
            throw AttachmentContent.SignatureMismatch(contentType);
        }

        var metered = new MeteredUploadStream(upload.Content, head, headLength, _options.MaxBytes);
        await using (metered.ConfigureAwait(false))
        {
            try
            {
                await files.WriteAsync(id, metered, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await RemoveAsync(id).ConfigureAwait(false); // the store should have kept nothing; make sure
                if (e is MessagingValidationException { ErrorCode: MessagingErrorCodes.AttachmentTooLarge })
                {
                    Log.AttachmentRefused(logger, id, MessagingErrorCodes.AttachmentTooLarge);
                }

                throw;
            }

            Log.AttachmentStored(logger, id, contentType, metered.BytesRead);
            return new Attachment
            {
                Id = id,
                OrganisationId = organisationId,
                WorkspaceId = workspaceId,
                FileName = fileName,
                ContentType = contentType,
                Length = metered.BytesRead,
                Sha256 = metered.HashHex(),
                UploadedBy = staff,
                UploadedByPatient = patient,
                CreatedAt = clock.GetCurrentInstant(),
            };
        }
    }

    /// <summary>Commits the attachment's record (and whatever else the operation writes); if that fails, its bytes go too.</summary>
    internal async Task CommitOrRemoveAsync(Attachment attachment, Action<IMessagingUnitOfWork> stage, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAsync(stage, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveAsync(attachment.Id).ConfigureAwait(false);
            throw;
        }
    }

    internal async Task RemoveAsync(AttachmentId id)
    {
        try
        {
            await files.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.AttachmentOrphaned(logger, e, id);
        }
    }

    private static Dictionary<string, string> Details(Attachment attachment) => new()
    {
        ["contentType"] = attachment.ContentType,
        ["length"] = attachment.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["sha256"] = attachment.Sha256,
    };

    private static MessagingNotFoundException NotFound(AttachmentId id) => new(MessagingErrorCodes.AttachmentNotFound, $"Attachment '{id}' was not found.");
}
