namespace Messaging;

/// <summary>Organisations, workspaces, membership and teams (R1–R3).</summary>
/// <remarks>
/// Every method but <see cref="CreateOrganisationAsync"/> takes the acting staff member and refuses, with
/// <see cref="MessagingAuthorizationException"/>, anyone who is not a member (or, where stated, an admin) of the
/// workspace; nothing is written then.
/// </remarks>
public interface IWorkspaceService
{
    /// <summary>
    /// Registers an organisation with its default workspace (no shared inbox) and first admin. A provisioning call
    /// made by the host itself, audited as the system.
    /// </summary>
    Task<Organisation> CreateOrganisationAsync(CreateOrganisationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates a team workspace; the actor must be an admin of the organisation's default workspace and becomes its first admin.</summary>
    Task<Workspace> CreateTeamWorkspaceAsync(StaffId actor, CreateTeamWorkspaceRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The workspaces the actor belongs to, for a workspace switcher: each with the actor's role, whether it has a shared
    /// inbox, and how many conversations there wait unread for the actor (assigned to them or to one of their teams).
    /// Default workspaces come first, then team workspaces by name; an actor who belongs nowhere gets an empty list.
    /// </summary>
    Task<IReadOnlyList<MemberWorkspace>> ListMyWorkspacesAsync(StaffId actor, CancellationToken cancellationToken = default);

    /// <summary>The workspace, if the actor is a member.</summary>
    Task<Workspace> GetWorkspaceAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Adds a member (admins only). Adding an existing member is a conflict.</summary>
    Task<WorkspaceMember> AddMemberAsync(StaffId actor, WorkspaceId workspaceId, NewMember member, CancellationToken cancellationToken = default);

    /// <summary>Removes a member and takes them out of the workspace's teams (admins only; never the last admin).</summary>
    Task RemoveMemberAsync(StaffId actor, WorkspaceId workspaceId, StaffId staffId, CancellationToken cancellationToken = default);

    /// <summary>Changes a member's role (admins only; the last admin cannot be demoted).</summary>
    Task<WorkspaceMember> SetRoleAsync(StaffId actor, WorkspaceId workspaceId, StaffId staffId, WorkspaceRole role, CancellationToken cancellationToken = default);

    /// <summary>The workspace's members (members only).</summary>
    Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Creates a team of workspace members (admins only).</summary>
    Task<Team> CreateTeamAsync(StaffId actor, WorkspaceId workspaceId, TeamId teamId, string name, IEnumerable<StaffId> members, CancellationToken cancellationToken = default);

    /// <summary>Replaces a team's members (admins only); each must be a workspace member.</summary>
    Task<Team> SetTeamMembersAsync(StaffId actor, WorkspaceId workspaceId, TeamId teamId, IEnumerable<StaffId> members, CancellationToken cancellationToken = default);

    /// <summary>The workspace's teams (members only).</summary>
    Task<IReadOnlyList<Team>> ListTeamsAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);
}
