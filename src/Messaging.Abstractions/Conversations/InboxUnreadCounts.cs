namespace Messaging;

/// <summary>The actor's unread counts per view (R7).</summary>
/// <param name="AssignedToMe">Unread conversations assigned to the actor.</param>
/// <param name="SentByMe">Unread conversations the actor started or sent in.</param>
/// <param name="AssignedToMyTeams">Unread conversations per team the actor belongs to.</param>
public sealed record InboxUnreadCounts(int AssignedToMe, int SentByMe, IReadOnlyDictionary<TeamId, int> AssignedToMyTeams);
