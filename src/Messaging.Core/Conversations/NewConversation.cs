using Messaging.Storage;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Conversations;

/// <summary>How a conversation comes into being (R6, R8): open, assigned to its starter, with that first assignment recorded.</summary>
internal static class NewConversation
{
    public static Conversation Build(Workspace workspace, PatientId patientId, StaffId starter, string? subject, Instant now)
        => new()
        {
            Id = ConversationId.New(),
            OrganisationId = workspace.OrganisationId,
            WorkspaceId = workspace.Id,
            PatientId = patientId,
            StartedBy = starter,
            Assignee = Assignee.Staff(starter),
            Status = ConversationStatus.Open,
            Subject = subject,
            Participants = [starter],
            CreatedAt = now,
            LastActivityAt = now,
            ActivitySequence = 0,
            Version = 1,
        };

    /// <summary>Stages the conversation, its first assignment and their audit events.</summary>
    public static void Stage(IMessagingUnitOfWork work, Conversation conversation, IClock clock)
    {
        var starter = conversation.StartedBy;
        work.AddConversation(conversation);
        work.AddAssignment(new Assignment(conversation.Id, 1, conversation.Assignee, null, starter, conversation.CreatedAt));
        work.AppendAudit(Event(clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Staff(starter), AuditAction.ConversationStarted, conversation.PatientId, conversation.Id.ToString()));
        work.AppendAudit(Event(
            clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Staff(starter), AuditAction.ConversationAssigned, conversation.PatientId, conversation.Id.ToString(),
            new Dictionary<string, string> { ["to"] = conversation.Assignee.ToString() }));
    }
}
