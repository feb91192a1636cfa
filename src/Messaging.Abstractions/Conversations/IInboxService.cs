namespace Messaging;

/// <summary>The shared inbox (R7): views, keyset pagination, filters and unread counts.</summary>
/// <remarks>
/// Without a shared inbox a member may read only views of their own: assigned to them, sent by them, or assigned to
/// a team they belong to; anything else is refused with <see cref="MessagingErrorCodes.SharedInboxRequired"/>.
/// </remarks>
public interface IInboxService
{
    /// <summary>One page of a view, newest activity first.</summary>
    Task<InboxResult> GetPageAsync(StaffId actor, InboxRequest request, CancellationToken cancellationToken = default);

    /// <summary>The actor's unread counts.</summary>
    Task<InboxUnreadCounts> GetUnreadCountsAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);
}
