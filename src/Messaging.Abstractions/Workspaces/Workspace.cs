using NodaTime;

namespace Messaging;

/// <summary>An organisation (an NHS trust, a practice) with its default workspace (R2).</summary>
/// <param name="Id">The host's id of the organisation.</param>
/// <param name="Name">Its display name, e.g. "Northshire NHS Trust".</param>
/// <param name="DefaultWorkspaceId">The organisation's default workspace, created with it.</param>
/// <param name="CreatedAt">When it was registered with the SDK.</param>
public sealed record Organisation(OrganisationId Id, string Name, WorkspaceId DefaultWorkspaceId, Instant CreatedAt);

/// <summary>What kind of workspace this is (R2).</summary>
public enum WorkspaceKind
{
    /// <summary>An organisation's default workspace. Templates cannot be shared in it (R16).</summary>
    OrganisationDefault = 0,

    /// <summary>A team's own workspace, e.g. "Dermatology at Northshire NHS Trust".</summary>
    Team = 1,
}

/// <summary>A workspace: the unit of membership, visibility and the shared inbox (R1, R2).</summary>
/// <param name="Id">The workspace id.</param>
/// <param name="OrganisationId">The organisation it belongs to.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Kind">Default or team workspace.</param>
/// <param name="HasSharedInbox">
/// Whether members see each other's patient conversations. Without it a member sees only the conversations
/// they started, sent in, or that are assigned to them or a team of theirs (R2, R5).
/// </param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record Workspace(
    WorkspaceId Id,
    OrganisationId OrganisationId,
    string Name,
    WorkspaceKind Kind,
    bool HasSharedInbox,
    Instant CreatedAt);

/// <summary>A member's role in a workspace (R3).</summary>
public enum WorkspaceRole
{
    /// <summary>Sends, reads and works conversations.</summary>
    Member = 0,

    /// <summary>Also adds and removes members, manages teams, and edits or deletes any shared template.</summary>
    Admin = 1,
}

/// <summary>A staff member's membership of a workspace (R1, R3). Added by an admin, by staff id and email.</summary>
/// <param name="WorkspaceId">The workspace.</param>
/// <param name="StaffId">The host's id of the staff member.</param>
/// <param name="Email">Where notifications go (R9, R17); they never carry patient data.</param>
/// <param name="DisplayName">The name colleagues and patients see.</param>
/// <param name="Role">Member or admin.</param>
/// <param name="AddedAt">When they were added.</param>
public sealed record WorkspaceMember(
    WorkspaceId WorkspaceId,
    StaffId StaffId,
    EmailAddress Email,
    string DisplayName,
    WorkspaceRole Role,
    Instant AddedAt)
{
    /// <summary>Whether the member is an admin of the workspace.</summary>
    public bool IsAdmin => Role == WorkspaceRole.Admin;
}

/// <summary>A team inside a workspace; conversations can be assigned to it (R8) and all its members are notified (R9).</summary>
/// <param name="Id">The team id, unique within the workspace.</param>
/// <param name="WorkspaceId">The workspace it belongs to.</param>
/// <param name="Name">Its display name, e.g. "Dermatology nurses".</param>
/// <param name="Members">Its members; each is a member of the workspace.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record Team(TeamId Id, WorkspaceId WorkspaceId, string Name, IReadOnlyList<StaffId> Members, Instant CreatedAt);
