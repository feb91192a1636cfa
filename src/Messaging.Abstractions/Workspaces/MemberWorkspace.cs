namespace Messaging;

/// <summary>A workspace as its member sees it in a workspace switcher (R2).</summary>
/// <param name="Workspace">The workspace; <see cref="Workspace.HasSharedInbox"/> says whether members see each other's conversations.</param>
/// <param name="Role">The member's role there.</param>
/// <param name="UnreadCount">
/// Conversations there that the member has not read and that are theirs to answer: assigned to them, or to a team of the
/// workspace they belong to (each conversation counted once, as it has one assignee).
/// </param>
public sealed record MemberWorkspace(Workspace Workspace, WorkspaceRole Role, int UnreadCount);
