namespace Messaging;

/// <summary>One page of an inbox view.</summary>
/// <param name="Items">The rows, newest activity first, each with the actor's unread state.</param>
/// <param name="NextPageToken">An opaque token for the next page, or <see langword="null"/> on the last page.</param>
public sealed record InboxResult(IReadOnlyList<InboxItem> Items, string? NextPageToken);
