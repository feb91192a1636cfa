namespace Messaging.Storage;

/// <summary>Where a page of notifications starts: after this one, in the order newest first.</summary>
/// <param name="CreatedAt">The last listed notification's <see cref="Notification.CreatedAt"/>.</param>
/// <param name="Id">Its id, which breaks ties.</param>
public readonly record struct NotificationCursor(NodaTime.Instant CreatedAt, NotificationId Id);
