using NodaTime;

namespace Messaging;

/// <summary>Why a staff member was notified. An extensible "smart enum": the SDK's kinds are the static properties.</summary>
/// <param name="Value">The kind's stable name.</param>
public readonly record struct NotificationKind(string Value)
{
    /// <summary>A patient replied in a conversation assigned to the member or to one of their teams (R9).</summary>
    public static NotificationKind PatientReplied { get; } = new("patient.replied");

    /// <summary>A colleague sent the member an internal message (R17).</summary>
    public static NotificationKind InternalMessage { get; } = new("internal.message");

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>
/// An in-app notification for one staff member (R9, R17). It carries ids only — never the patient's name, number or
/// the message's content — so the host renders it from records the member is allowed to open.
/// </summary>
public sealed record Notification
{
    /// <summary>Its id.</summary>
    public required NotificationId Id { get; init; }

    /// <summary>The organisation.</summary>
    public required OrganisationId OrganisationId { get; init; }

    /// <summary>The workspace it belongs to; only members see it.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>The staff member notified.</summary>
    public required StaffId Recipient { get; init; }

    /// <summary>Why.</summary>
    public required NotificationKind Kind { get; init; }

    /// <summary>The conversation it is about, if any.</summary>
    public ConversationId? ConversationId { get; init; }

    /// <summary>The message that caused it, if any (e.g. the patient's reply).</summary>
    public MessageId? MessageId { get; init; }

    /// <summary>When it was raised.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When the member marked it read; <see langword="null"/> while unread.</summary>
    public Instant? ReadAt { get; init; }

    /// <summary>Whether it is unread.</summary>
    public bool IsUnread => ReadAt is null;
}

/// <summary>Which of a member's notifications to list.</summary>
public sealed record NotificationListRequest
{
    /// <summary>The workspace.</summary>
    public required WorkspaceId WorkspaceId { get; init; }

    /// <summary>Only unread ones.</summary>
    public bool UnreadOnly { get; init; }

    /// <summary>The <see cref="NotificationPage.NextPageToken"/> of the previous page; <see langword="null"/> for the first.</summary>
    public string? PageToken { get; init; }

    /// <summary>How many per page (1–100); <see langword="null"/> for the default of 25.</summary>
    public int? PageSize { get; init; }
}

/// <summary>A page of notifications, newest first.</summary>
/// <param name="Items">The notifications.</param>
/// <param name="NextPageToken">The token for the next page, or <see langword="null"/> on the last one.</param>
public sealed record NotificationPage(IReadOnlyList<Notification> Items, string? NextPageToken);

/// <summary>A staff member's in-app notifications (R9, R17): list, mark read, unread count.</summary>
/// <remarks>Every call is on behalf of <c>actor</c>, who must be a member of the workspace, and sees only their own notifications.</remarks>
public interface INotificationService
{
    /// <summary>The actor's notifications in the workspace, newest first, one page at a time.</summary>
    Task<NotificationPage> ListAsync(StaffId actor, NotificationListRequest request, CancellationToken cancellationToken = default);

    /// <summary>How many of the actor's notifications in the workspace are unread.</summary>
    Task<int> CountUnreadAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Marks one of the actor's notifications read (a no-op when it already is).</summary>
    /// <exception cref="MessagingNotFoundException">No such notification for the actor in the workspace.</exception>
    Task MarkReadAsync(StaffId actor, WorkspaceId workspaceId, NotificationId notificationId, CancellationToken cancellationToken = default);

    /// <summary>Marks every unread notification of the actor in the workspace read; returns how many changed.</summary>
    Task<int> MarkAllReadAsync(StaffId actor, WorkspaceId workspaceId, CancellationToken cancellationToken = default);
}
