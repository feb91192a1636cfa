namespace Messaging.Storage;

/// <summary>Reads of organisations, workspaces, members and teams.</summary>
public interface IWorkspaceReader
{
    /// <summary>The organisation, or <see langword="null"/>.</summary>
    ValueTask<Organisation?> GetOrganisationAsync(OrganisationId organisationId, CancellationToken cancellationToken = default);

    /// <summary>The workspace, or <see langword="null"/>.</summary>
    ValueTask<Workspace?> GetWorkspaceAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>The staff member's membership of the workspace, or <see langword="null"/> when they are not a member.</summary>
    ValueTask<WorkspaceMember?> GetMemberAsync(WorkspaceId workspaceId, StaffId staffId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every membership of the staff member, in every workspace of every organisation, ordered by workspace id (ordinal).
    /// Backs the workspace switcher; stores should answer it from an index on the staff id.
    /// </summary>
    ValueTask<IReadOnlyList<WorkspaceMember>> ListMembershipsAsync(StaffId staffId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's members, ordered by staff id.</summary>
    ValueTask<IReadOnlyList<WorkspaceMember>> ListMembersAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>The team, or <see langword="null"/>.</summary>
    ValueTask<Team?> GetTeamAsync(WorkspaceId workspaceId, TeamId teamId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's teams, ordered by id.</summary>
    ValueTask<IReadOnlyList<Team>> ListTeamsAsync(WorkspaceId workspaceId, CancellationToken cancellationToken = default);
}
