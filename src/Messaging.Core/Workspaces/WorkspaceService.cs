using Messaging.Storage;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Workspaces;

internal sealed class WorkspaceService(IMessagingStore store, WorkspaceAccess access, IClock clock) : IWorkspaceService
{
    private const int MaxNameLength = 200;

    public async Task<Organisation> CreateOrganisationAsync(CreateOrganisationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Errors.RequireText(request.Name, "name", MaxNameLength);
        var now = clock.GetCurrentInstant();
        var organisation = new Organisation(request.OrganisationId, name, request.DefaultWorkspaceId, now);
        var workspace = new Workspace(request.DefaultWorkspaceId, request.OrganisationId, name, WorkspaceKind.OrganisationDefault, HasSharedInbox: false, now);
        var admin = ToMember(workspace.Id, request.FirstAdmin with { Role = WorkspaceRole.Admin }, now);

        await store.WriteAsync(
            work =>
            {
                work.AddOrganisation(organisation);
                work.AddWorkspace(workspace);
                work.UpsertMember(admin);
                work.AppendAudit(Event(clock, organisation.Id, workspace.Id, AuditActor.System, AuditAction.OrganisationCreated, targetId: organisation.Id.Value));
                work.AppendAudit(Event(clock, organisation.Id, workspace.Id, AuditActor.System, AuditAction.MemberAdded, targetId: admin.StaffId.Value, details: RoleDetails(admin.Role)));
            },
            cancellationToken).ConfigureAwait(false);
        return organisation;
    }

    public async Task<IReadOnlyList<MemberWorkspace>> ListMyWorkspacesAsync(StaffId actor, CancellationToken cancellationToken = default)
    {
        var result = new List<MemberWorkspace>();
        foreach (var membership in await store.ListMembershipsAsync(actor, cancellationToken).ConfigureAwait(false))
        {
            if (await store.GetWorkspaceAsync(membership.WorkspaceId, cancellationToken).ConfigureAwait(false) is not { } workspace)
            {
                continue;
            }

            var unread = await Conversations.InboxService.CountUnreadAsync(store, workspace.Id, actor, cancellationToken).ConfigureAwait(false);
            result.Add(new MemberWorkspace(workspace, membership.Role, unread.AssignedToMe + unread.AssignedToMyTeams.Values.Sum()));
        }

        return
        [
            .. result
                .OrderBy(w => w.Workspace.Kind == WorkspaceKind.OrganisationDefault ? 0 : 1)
                .ThenBy(w => w.Workspace.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(w => w.Workspace.Id.Value, StringComparer.Ordinal),
        ];
    }

    public async Task<Workspace> CreateTeamWorkspaceAsync(StaffId actor, CreateTeamWorkspaceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Errors.RequireText(request.Name, "name", MaxNameLength);
        var organisation = await store.GetOrganisationAsync(request.OrganisationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.OrganisationNotFound(request.OrganisationId);
        var creator = (await access.RequireAdminAsync(organisation.DefaultWorkspaceId, actor, cancellationToken).ConfigureAwait(false)).Member;

        var now = clock.GetCurrentInstant();
        var workspace = new Workspace(request.WorkspaceId, organisation.Id, name, WorkspaceKind.Team, request.HasSharedInbox, now);
        var admin = creator with { WorkspaceId = workspace.Id, Role = WorkspaceRole.Admin, AddedAt = now };

        await store.WriteAsync(
            work =>
            {
                work.AddWorkspace(workspace);
                work.UpsertMember(admin);
                work.AppendAudit(Event(clock, organisation.Id, workspace.Id, AuditActor.Staff(actor), AuditAction.WorkspaceCreated, targetId: workspace.Id.Value));
                work.AppendAudit(Event(clock, organisation.Id, workspace.Id, AuditActor.Staff(actor), AuditAction.MemberAdded, targetId: actor.Value, details: RoleDetails(admin.Role)));
            },
            cancellationToken).ConfigureAwait(false);
        return workspace;
    }

    public async Task<Workspace> GetWorkspaceAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default)
        => (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;

    public async Task<WorkspaceMember> AddMemberAsync(StaffId actor, WorkspaceId workspaceId, NewMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var workspace = (await access.RequireAdminAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var added = ToMember(workspaceId, member, clock.GetCurrentInstant());
        if (await store.GetMemberAsync(workspaceId, member.StaffId, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"Staff member '{member.StaffId}' is already a member of workspace '{workspaceId}'.");
        }

        await store.WriteAsync(
            work =>
            {
                work.UpsertMember(added);
                work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.MemberAdded, targetId: added.StaffId.Value, details: RoleDetails(added.Role)));
            },
            cancellationToken).ConfigureAwait(false);
        return added;
    }

    public async Task RemoveMemberAsync(StaffId actor, WorkspaceId workspaceId, StaffId staffId, CancellationToken cancellationToken = default)
    {
        var workspace = (await access.RequireAdminAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var removed = await store.GetMemberAsync(workspaceId, staffId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.MemberNotFound(workspaceId, staffId);
        if (removed.IsAdmin)
        {
            await EnsureAnotherAdminAsync(workspaceId, staffId, cancellationToken).ConfigureAwait(false);
        }

        await store.WriteAsync(
            work =>
            {
                work.RemoveMember(workspaceId, staffId);
                work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.MemberRemoved, targetId: staffId.Value));
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<WorkspaceMember> SetRoleAsync(StaffId actor, WorkspaceId workspaceId, StaffId staffId, WorkspaceRole role, CancellationToken cancellationToken = default)
    {
        var workspace = (await access.RequireAdminAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var member = await store.GetMemberAsync(workspaceId, staffId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.MemberNotFound(workspaceId, staffId);
        if (member.Role == role)
        {
            return member;
        }

        if (member.IsAdmin)
        {
            await EnsureAnotherAdminAsync(workspaceId, staffId, cancellationToken).ConfigureAwait(false);
        }

        var changed = member with { Role = role };
        await store.WriteAsync(
            work =>
            {
                work.UpsertMember(changed);
                work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.MemberRoleChanged, targetId: staffId.Value, details: RoleDetails(role)));
            },
            cancellationToken).ConfigureAwait(false);
        return changed;
    }

    public async Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default)
    {
        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        return await store.ListMembersAsync(workspaceId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Team> CreateTeamAsync(StaffId actor, WorkspaceId workspaceId, TeamId teamId, string name, IEnumerable<StaffId> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var workspace = (await access.RequireAdminAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var team = new Team(
            teamId,
            workspaceId,
            Errors.RequireText(name, "name", MaxNameLength),
            await RequireMembersAsync(workspaceId, members, cancellationToken).ConfigureAwait(false),
            clock.GetCurrentInstant());

        await store.WriteAsync(
            work =>
            {
                work.AddTeam(team);
                work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.TeamChanged, targetId: teamId.Value));
            },
            cancellationToken).ConfigureAwait(false);
        return team;
    }

    public async Task<Team> SetTeamMembersAsync(StaffId actor, WorkspaceId workspaceId, TeamId teamId, IEnumerable<StaffId> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var workspace = (await access.RequireAdminAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var team = await store.GetTeamAsync(workspaceId, teamId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.TeamNotFound(workspaceId, teamId);
        var changed = team with { Members = await RequireMembersAsync(workspaceId, members, cancellationToken).ConfigureAwait(false) };

        await store.WriteAsync(
            work =>
            {
                work.UpdateTeam(changed);
                work.AppendAudit(Event(clock, workspace.OrganisationId, workspaceId, AuditActor.Staff(actor), AuditAction.TeamChanged, targetId: teamId.Value));
            },
            cancellationToken).ConfigureAwait(false);
        return changed;
    }

    public async Task<IReadOnlyList<Team>> ListTeamsAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default)
    {
        await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false);
        return await store.ListTeamsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StaffId[]> RequireMembersAsync(WorkspaceId workspaceId, IEnumerable<StaffId> members, CancellationToken cancellationToken)
    {
        var distinct = members.Distinct().ToArray();
        foreach (var staffId in distinct)
        {
            _ = await store.GetMemberAsync(workspaceId, staffId, cancellationToken).ConfigureAwait(false)
                ?? throw Errors.MemberNotFound(workspaceId, staffId);
        }

        return distinct;
    }

    private async Task EnsureAnotherAdminAsync(WorkspaceId workspaceId, StaffId leaving, CancellationToken cancellationToken)
    {
        var members = await store.ListMembersAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        if (!members.Any(m => m.IsAdmin && m.StaffId != leaving))
        {
            throw new MessagingConflictException(MessagingErrorCodes.LastAdmin, $"Staff member '{leaving}' is the last admin of workspace '{workspaceId}'; make another member an admin first.");
        }
    }

    private static WorkspaceMember ToMember(WorkspaceId workspaceId, NewMember member, Instant now)
        => new(
            workspaceId,
            member.StaffId,
            EmailAddress.Parse(member.Email),
            Errors.RequireText(member.DisplayName, "displayName", MaxNameLength),
            member.Role,
            now);

    private static Dictionary<string, string> RoleDetails(WorkspaceRole role) => new() { ["role"] = role.ToString() };
}
