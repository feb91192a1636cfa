using Microsoft.Extensions.Logging;

namespace Messaging;

/// <summary>
/// Every log line the core writes, in one place so it can be reviewed: ids, channels, counts and provider codes
/// only — never a phone number, email address, name, NHS number or message body (R22).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Message {MessageId} queued on {Channel} ({Segments} segments)")]
    public static partial void MessageQueued(ILogger logger, MessageId messageId, string channel, int segments);

    [LoggerMessage(1002, LogLevel.Information, "Message {MessageId} accepted by {Provider} as {ProviderMessageId}")]
    public static partial void MessageAccepted(ILogger logger, MessageId messageId, string provider, string? providerMessageId);

    [LoggerMessage(1003, LogLevel.Warning, "Message {MessageId} attempt {Attempt} failed transiently at {Provider} (code {ErrorCode}); retrying at {NextAttemptAt}")]
    public static partial void MessageRetrying(ILogger logger, MessageId messageId, int attempt, string provider, string? errorCode, NodaTime.Instant nextAttemptAt);

    [LoggerMessage(1004, LogLevel.Warning, "Message {MessageId} failed at {Provider} (code {ErrorCode}); {Credits} credits refunded")]
    public static partial void MessageFailed(ILogger logger, MessageId messageId, string provider, string? errorCode, int credits);

    [LoggerMessage(1005, LogLevel.Warning, "Outbox entry of message {MessageId} was taken over by another instance; leaving it to them")]
    public static partial void LeaseLost(ILogger logger, MessageId messageId);

    // 1101-1119: notifications and attachments (ids only: no names, addresses or content).
    [LoggerMessage(1101, LogLevel.Information, "Notification {NotificationId} emailed through {Provider}")]
    public static partial void NotificationEmailed(ILogger logger, NotificationId notificationId, string provider);

    [LoggerMessage(1102, LogLevel.Warning, "Notification {NotificationId} could not be emailed (provider {Provider}, code {ErrorCode}); the in-app notification stands")]
    public static partial void NotificationEmailFailed(ILogger logger, NotificationId notificationId, string provider, string? errorCode);

    [LoggerMessage(1103, LogLevel.Warning, "Notification {NotificationId} could not be emailed: provider {Provider} threw; the in-app notification stands")]
    public static partial void NotificationEmailThrew(ILogger logger, Exception exception, NotificationId notificationId, string provider);

    [LoggerMessage(1107, LogLevel.Warning, "Notification {NotificationId} email attempt {Attempt} failed transiently at {Provider} (code {ErrorCode}); retrying at {NextAttemptAt}")]
    public static partial void NotificationEmailRetrying(ILogger logger, NotificationId notificationId, int attempt, string provider, string? errorCode, NodaTime.Instant nextAttemptAt);

    [LoggerMessage(1104, LogLevel.Information, "Attachment {AttachmentId} stored ({ContentType}, {Length} bytes)")]
    public static partial void AttachmentStored(ILogger logger, AttachmentId attachmentId, string contentType, long length);

    [LoggerMessage(1105, LogLevel.Warning, "Attachment {AttachmentId} refused: {ErrorCode}")]
    public static partial void AttachmentRefused(ILogger logger, AttachmentId attachmentId, string errorCode);

    [LoggerMessage(1106, LogLevel.Warning, "Attachment {AttachmentId} could not be removed from the attachment store after a failed write; it is unreferenced")]
    public static partial void AttachmentOrphaned(ILogger logger, Exception exception, AttachmentId attachmentId);

    [LoggerMessage(1006, LogLevel.Error, "The outbox dispatcher failed a round; it will try again")]
    public static partial void DispatchRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(1007, LogLevel.Information, "Message {MessageId} status {Status} ({ProviderStatus}) from {Provider}")]
    public static partial void StatusApplied(ILogger logger, MessageId messageId, DeliveryStatus status, string providerStatus, string provider);

    [LoggerMessage(1008, LogLevel.Information, "A number of organisation {OrganisationId} changed opt-out to {OptedOut} ({Source})")]
    public static partial void OptOutChanged(ILogger logger, OrganisationId organisationId, bool optedOut, string source);

    [LoggerMessage(1010, LogLevel.Error, "Dispatching message {MessageId} threw {ExceptionType} (attempt {Attempt}); recorded against that message only")]
    public static partial void DispatchThrew(ILogger logger, MessageId messageId, string exceptionType, int attempt);

    [LoggerMessage(1009, LogLevel.Error, "Provider {Provider} threw while sending message {MessageId}; treated as a transient failure")]
    public static partial void ProviderThrew(ILogger logger, Exception exception, string provider, MessageId messageId);

    [LoggerMessage(1051, LogLevel.Warning, "The outbox's cross-instance wake-ups stopped; listening again in {Delay} (until then the dispatcher polls)")]
    public static partial void OutboxListenFailed(ILogger logger, Exception exception, TimeSpan delay);

    // 1201+: patient history, host events (R25).
    [LoggerMessage(1201, LogLevel.Error, "Event handler {Handler} failed on {EventType}; the change stands and the other handlers still run")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string eventType, string handler);
}
