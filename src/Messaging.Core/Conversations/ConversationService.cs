using Messaging.Storage;
using Messaging.Workspaces;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Conversations;

internal sealed class ConversationService(IMessagingStore store, WorkspaceAccess access, IClock clock) : IConversationService
{
    private const int MaxSubjectLength = 200;

    public async Task<Conversation> StartAsync(StaffId actor, WorkspaceId workspaceId, PatientId patientId, string? subject = null, CancellationToken cancellationToken = default)
    {
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        _ = await store.GetPatientAsync(workspace.OrganisationId, patientId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PatientNotFound(patientId);

        var conversation = NewConversation.Build(
            workspace, patientId, actor, subject is null ? null : Errors.RequireText(subject, "subject", MaxSubjectLength), clock.GetCurrentInstant());

        await store.WriteAsync(
            work =>
            {
                NewConversation.Stage(work, conversation, clock);
                work.SetReadPosition(new ReadPosition(conversation.Id, actor, 0, MarkedUnread: false));
            },
            cancellationToken).ConfigureAwait(false);
        return conversation;
    }

    public async Task<Conversation> GetAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        var (_, conversation) = await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work =>
            {
                work.AppendAudit(Event(clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Staff(actor), AuditAction.ConversationViewed, conversation.PatientId, conversation.Id.ToString()));
            },
            cancellationToken).ConfigureAwait(false);
        return conversation;
    }

    public async Task<IReadOnlyList<Conversation>> ListForPatientAsync(StaffId actor, WorkspaceId workspaceId, PatientId patientId, PatientConversationScope scope, CancellationToken cancellationToken = default)
    {
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        if (scope == PatientConversationScope.All && !workspace.HasSharedInbox)
        {
            throw Errors.SharedInboxRequired(workspaceId, "\"All conversations\"");
        }

        return await store.ListPatientConversationsAsync(
            workspaceId, patientId, scope == PatientConversationScope.Mine ? actor : null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Conversation> AssignAsync(StaffId actor, ConversationId conversationId, Assignee assignee, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var (_, conversation) = await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        EnsureVersion(conversation, expectedVersion);
        await RequireAssigneeAsync(conversation.WorkspaceId, assignee, cancellationToken).ConfigureAwait(false);

        var history = await store.ListAssignmentsAsync(conversationId, cancellationToken).ConfigureAwait(false);
        var updated = conversation with { Assignee = assignee, Version = conversation.Version + 1 };
        var now = clock.GetCurrentInstant();

        await store.WriteAsync(
            work =>
            {
                work.UpdateConversation(updated, conversation.Version);
                work.AddAssignment(new Assignment(conversationId, history.Count + 1, assignee, conversation.Assignee, actor, now));
                work.AppendAudit(AssignedEvent(updated, actor, conversation.Assignee));
            },
            cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<Conversation> SetStatusAsync(StaffId actor, ConversationId conversationId, ConversationStatus status, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var (_, conversation) = await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        EnsureVersion(conversation, expectedVersion);
        if (conversation.Status == status)
        {
            return conversation;
        }

        var updated = conversation with { Status = status, Version = conversation.Version + 1 };
        await store.WriteAsync(
            work =>
            {
                work.UpdateConversation(updated, conversation.Version);
                work.AppendAudit(Event(
                    clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Staff(actor), AuditAction.ConversationStatusChanged,
                    conversation.PatientId, conversation.Id.ToString(), new Dictionary<string, string> { ["status"] = status.ToString() }));
            },
            cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task MarkReadAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        var (_, conversation) = await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        await SetReadPositionAsync(new ReadPosition(conversationId, actor, conversation.ActivitySequence, MarkedUnread: false), cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkUnreadAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        var current = await store.GetReadPositionAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        await SetReadPositionAsync(new ReadPosition(conversationId, actor, current?.ReadUpTo ?? 0, MarkedUnread: true), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Assignment>> GetAssignmentHistoryAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        return await store.ListAssignmentsAsync(conversationId, cancellationToken).ConfigureAwait(false);
    }

    private async Task SetReadPositionAsync(ReadPosition position, CancellationToken cancellationToken)
    {
        await store.WriteAsync(
            work =>
            {
                work.SetReadPosition(position);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task RequireAssigneeAsync(WorkspaceId workspaceId, Assignee assignee, CancellationToken cancellationToken)
    {
        var exists = assignee.Kind switch
        {
            AssigneeKind.Staff => await store.GetMemberAsync(workspaceId, new StaffId(assignee.Id), cancellationToken).ConfigureAwait(false) is not null,
            AssigneeKind.Team => await store.GetTeamAsync(workspaceId, new TeamId(assignee.Id), cancellationToken).ConfigureAwait(false) is not null,
            _ => false,
        };

        if (!exists)
        {
            throw new MessagingValidationException(
                MessagingErrorCodes.AssigneeNotInWorkspace,
                $"{assignee.Kind} '{assignee.Id}' is not a member or team of workspace '{workspaceId}'.",
                "assignee");
        }
    }

    private static void EnsureVersion(Conversation conversation, long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != conversation.Version)
        {
            throw Errors.StaleVersion(conversation.Id, expected, conversation.Version);
        }
    }

    private AuditEvent AssignedEvent(Conversation conversation, StaffId actor, Assignee? previous)
    {
        var details = new Dictionary<string, string> { ["to"] = conversation.Assignee.ToString() };
        if (previous is { } from)
        {
            details["from"] = from.ToString();
        }

        return Event(clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Staff(actor), AuditAction.ConversationAssigned, conversation.PatientId, conversation.Id.ToString(), details);
    }
}
