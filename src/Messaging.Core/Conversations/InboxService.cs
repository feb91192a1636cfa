using Messaging.Paging;
using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Options;

namespace Messaging.Conversations;

internal sealed class InboxService(IMessagingStore store, WorkspaceAccess access, IOptions<PatientMessagingOptions> options, KeysetPageToken pageTokens) : IInboxService
{
    private readonly PatientMessagingOptions _options = options.Value;

    public async Task<InboxResult> GetPageAsync(StaffId actor, InboxRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workspace = (await access.RequireMemberAsync(request.WorkspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        await EnsureViewAllowedAsync(workspace, request.View, actor, cancellationToken).ConfigureAwait(false);

        var pageSize = request.PageSize ?? _options.DefaultPageSize;
        if (pageSize < 1 || pageSize > _options.MaxPageSize)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The page size must be between 1 and {_options.MaxPageSize}.", "pageSize");
        }

        var page = await store.QueryInboxAsync(
            new InboxQuery
            {
                WorkspaceId = request.WorkspaceId,
                View = request.View,
                Reader = actor,
                Status = request.Status,
                UnreadOnly = request.UnreadOnly,
                After = InboxPageToken.Decode(pageTokens, request.PageToken, request),
                PageSize = pageSize,
            },
            cancellationToken).ConfigureAwait(false);

        return new InboxResult(page.Items, page.NextCursor is { } next ? InboxPageToken.Encode(pageTokens, next, request) : null);
    }

    public async Task<InboxUnreadCounts> GetUnreadCountsAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default)
    {
        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        return await CountUnreadAsync(store, workspaceId, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A member's unread counts in a workspace they are known to belong to (the inbox's badges and the workspace switcher's).</summary>
    internal static async Task<InboxUnreadCounts> CountUnreadAsync(IMessagingStore store, WorkspaceId workspaceId, StaffId actor, CancellationToken cancellationToken)
    {
        var assigned = await store.CountUnreadAsync(workspaceId, InboxView.AssignedTo(actor), actor, cancellationToken).ConfigureAwait(false);
        var sent = await store.CountUnreadAsync(workspaceId, InboxView.SentBy(actor), actor, cancellationToken).ConfigureAwait(false);

        var teams = new Dictionary<TeamId, int>();
        foreach (var team in await store.ListTeamsAsync(workspaceId, cancellationToken).ConfigureAwait(false))
        {
            if (team.Members.Contains(actor))
            {
                teams[team.Id] = await store.CountUnreadAsync(workspaceId, InboxView.AssignedTo(team.Id), actor, cancellationToken).ConfigureAwait(false);
            }
        }

        return new InboxUnreadCounts(assigned, sent, teams);
    }

    // Without a shared inbox a member reads only their own views (R2): assigned to or sent by them, or their teams'.
    private async Task EnsureViewAllowedAsync(Workspace workspace, InboxView view, StaffId actor, CancellationToken cancellationToken)
    {
        if (view.Kind is InboxViewKind.AssignedToTeam)
        {
            var team = await store.GetTeamAsync(workspace.Id, new TeamId(view.Id!), cancellationToken).ConfigureAwait(false)
                ?? throw Errors.TeamNotFound(workspace.Id, new TeamId(view.Id!));
            if (!workspace.HasSharedInbox && !team.Members.Contains(actor))
            {
                throw Errors.SharedInboxRequired(workspace.Id, "another team's inbox");
            }

            return;
        }

        if (workspace.HasSharedInbox)
        {
            return;
        }

        var own = view.Kind is InboxViewKind.AssignedToStaff or InboxViewKind.SentBy && view.Id == actor.Value;
        if (!own)
        {
            throw Errors.SharedInboxRequired(workspace.Id, view.Kind == InboxViewKind.All ? "the whole inbox" : "a colleague's inbox");
        }
    }
}
