using System.Security.Cryptography;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Messaging.Fhir;

/// <summary>Gathers a conversation through the SDK's services (which check access and audit) and maps it.</summary>
internal sealed class FhirExportService(
    IConversationService conversations,
    IMessageService messages,
    IPatientService patients,
    IWorkspaceService workspaces,
    IAttachmentService attachments,
    IClock clock,
    IOptions<FhirExportOptions> options) : IFhirExportService
{
    public async Task<Bundle> ExportConversationAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        var conversation = await conversations.GetAsync(actor, conversationId, cancellationToken).ConfigureAwait(false);
        var thread = await messages.ListAsync(actor, conversationId, cancellationToken).ConfigureAwait(false);
        var patient = await patients.GetAsync(actor, conversation.WorkspaceId, conversation.PatientId, cancellationToken).ConfigureAwait(false);
        var staff = await workspaces.ListMembersAsync(actor, conversation.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var files = new Dictionary<MessageId, IReadOnlyList<FhirAttachment>>();
        foreach (var message in thread.Where(m => m.Attachments.Count > 0))
        {
            var list = new List<FhirAttachment>(message.Attachments.Count);
            foreach (var id in message.Attachments)
            {
                list.Add(await DescribeAsync(actor, id, cancellationToken).ConfigureAwait(false));
            }

            files[message.Id] = list;
        }

        var content = new FhirExportContent
        {
            Patient = patient,
            Conversations = [new FhirConversationContent(conversation, thread) { Attachments = files }],
            Staff = staff,
        };
        return FhirCommunicationMapper.ToBundle(content, clock.GetCurrentInstant(), options.Value);
    }

    /// <summary>
    /// An attachment as R4 describes it. R4's hash is SHA-1 while the SDK records SHA-256, so the content is read once
    /// (through the attachment service, which checks membership and audits the read).
    /// </summary>
    private async Task<FhirAttachment> DescribeAsync(StaffId actor, AttachmentId id, CancellationToken cancellationToken)
    {
        var download = await attachments.OpenAsync(actor, id, cancellationToken).ConfigureAwait(false);
        await using (download.ConfigureAwait(false))
        {
            var attachment = download.Attachment!;
#pragma warning disable CA5350 // FHIR R4 defines Attachment.hash as SHA-1; it identifies content, it does not protect it.
            var sha1 = await SHA1.HashDataAsync(download.Content!, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5350
            var url = options.Value.AttachmentBaseUrl is { } root ? new Uri(root, id.ToString()) : new Uri($"urn:uuid:{id.Value:D}");
            return new FhirAttachment(url, attachment.ContentType, attachment.Length) { Title = attachment.FileName, Sha1 = sha1 };
        }
    }
}
