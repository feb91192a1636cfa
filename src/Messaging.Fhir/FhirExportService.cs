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
    IClock clock,
    IOptions<FhirExportOptions> options) : IFhirExportService
{
    public async Task<Bundle> ExportConversationAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        var conversation = await conversations.GetAsync(actor, conversationId, cancellationToken).ConfigureAwait(false);
        var thread = await messages.ListAsync(actor, conversationId, cancellationToken).ConfigureAwait(false);
        var patient = await patients.GetAsync(actor, conversation.WorkspaceId, conversation.PatientId, cancellationToken).ConfigureAwait(false);
        var staff = await workspaces.ListMembersAsync(actor, conversation.WorkspaceId, cancellationToken).ConfigureAwait(false);
        var content = new FhirExportContent { Patient = patient, Conversations = [new FhirConversationContent(conversation, thread)], Staff = staff };
        return FhirCommunicationMapper.ToBundle(content, clock.GetCurrentInstant(), options.Value);
    }
}
