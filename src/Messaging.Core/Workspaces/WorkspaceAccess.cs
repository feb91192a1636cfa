using Messaging.Storage;

namespace Messaging.Workspaces;

/// <summary>A workspace and the acting member's membership of it.</summary>
internal readonly record struct MemberContext(Workspace Workspace, WorkspaceMember Member);

/// <summary>The checks of R1, R2 and R5 that every operation makes before it reads or writes anything.</summary>
internal sealed class WorkspaceAccess(IMessagingStore store)
{
    /// <summary>The workspace, if <paramref name="actor"/> is a member of it.</summary>
    public async Task<MemberContext> RequireMemberAsync(WorkspaceId workspaceId, StaffId actor, CancellationToken cancellationToken)
    {
        var workspace = await store.GetWorkspaceAsync(workspaceId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.WorkspaceNotFound(workspaceId);
        var member = await store.GetMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.NotAMember(workspaceId, actor);
        return new MemberContext(workspace, member);
    }

    /// <summary>The workspace, if <paramref name="actor"/> is an admin of it.</summary>
    public async Task<MemberContext> RequireAdminAsync(WorkspaceId workspaceId, StaffId actor, CancellationToken cancellationToken)
    {
        var context = await RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        return context.Member.IsAdmin ? context : throw Errors.NotAnAdmin(workspaceId, actor);
    }

    /// <summary>
    /// The conversation, if <paramref name="actor"/> may see it: a member of its workspace and, without a shared inbox,
    /// a participant, the assignee or a member of the assigned team.
    /// </summary>
    public async Task<(MemberContext Context, Conversation Conversation)> RequireConversationAsync(
        ConversationId conversationId, StaffId actor, CancellationToken cancellationToken)
    {
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.ConversationNotFound(conversationId);
        var context = await RequireMemberAsync(conversation.WorkspaceId, actor, cancellationToken).ConfigureAwait(false);
        if (!context.Workspace.HasSharedInbox && !await IsOwnAsync(conversation, actor, cancellationToken).ConfigureAwait(false))
        {
            throw Errors.ConversationNotVisible(conversationId, actor);
        }

        return (context, conversation);
    }

    /// <summary>Whether the conversation is the member's own: started or sent in, or assigned to them or a team of theirs.</summary>
    public async Task<bool> IsOwnAsync(Conversation conversation, StaffId actor, CancellationToken cancellationToken)
    {
        if (conversation.IsParticipant(actor) || conversation.Assignee.StaffId == actor)
        {
            return true;
        }

        if (conversation.Assignee.TeamId is { } teamId)
        {
            var team = await store.GetTeamAsync(conversation.WorkspaceId, teamId, cancellationToken).ConfigureAwait(false);
            return team?.Members.Contains(actor) == true;
        }

        return false;
    }
}
