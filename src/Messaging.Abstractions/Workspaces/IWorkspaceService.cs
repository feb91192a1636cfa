namespace Messaging;

/// <summary>A staff member to add to a workspace (R3): by staff id and email.</summary>
/// <param name="StaffId">The host's id of the staff member.</param>
/// <param name="Email">Their work email, for content-free notifications.</param>
/// <param name="DisplayName">Their name as colleagues see it.</param>
/// <param name="Role">Member or admin.</param>
public sealed record NewMember(StaffId StaffId, string Email, string DisplayName, WorkspaceRole Role = WorkspaceRole.Member);

/// <summary>An organisation to register, with its default workspace and first admin.</summary>
public sealed record CreateOrganisationRequest
{
    /// <summary>The host's id of the organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>Its display name.</summary>
    public required string Name { get; init; }

    /// <summary>The id for its default workspace.</summary>
    public required WorkspaceId DefaultWorkspaceId { get; init; }

    /// <summary>The default workspace's first admin.</summary>
    public required NewMember FirstAdmin { get; init; }
}

/// <summary>A team workspace to create inside an organisation (R2).</summary>
public sealed record CreateTeamWorkspaceRequest
{
    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The new workspace's id.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>Its name, e.g. "Dermatology at Northshire NHS Trust".</summary>
    public required string Name { get; init; }

    /// <summary>Whether members see each other's conversations. The default value is <see langword="true"/>.</summary>
    public bool HasSharedInbox { get; init; } = true;
}

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
