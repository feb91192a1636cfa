using Hl7.Fhir.Model;

namespace Messaging.Fhir;

/// <summary>
/// Exports conversations as FHIR R4 <c>Communication</c> resources in a <c>Bundle</c> (R25), for the host to file in the
/// patient's record or send to another system. Serialize the result with the FHIR library (e.g. <c>bundle.ToJson()</c>).
/// </summary>
/// <remarks>
/// Reads go through the SDK's services with the actor's rights, so the actor must be a member of the workspace and,
/// without a shared inbox, the conversation must be theirs (R1, R2, R5); reading the conversation is audited as a view.
/// </remarks>
public interface IFhirExportService
{
    /// <summary>One conversation, its messages and its patient, as a <c>collection</c> Bundle (see <see cref="FhirCommunicationMapper"/>).</summary>
    /// <exception cref="MessagingAuthorizationException">The actor may not see the conversation.</exception>
    /// <exception cref="MessagingNotFoundException">The conversation does not exist.</exception>
    Task<Bundle> ExportConversationAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default);
}
