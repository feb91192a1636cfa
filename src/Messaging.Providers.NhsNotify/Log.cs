using Microsoft.Extensions.Logging;

namespace Messaging.Providers.NhsNotify;

/// <summary>
/// Every log line this package writes: message references, NHS Notify ids, statuses, HTTP statuses and NHS Notify error
/// codes only — never a phone number, an email address, an NHS number, a subject or body, or a secret (R22). NHS Notify's
/// own error details are not logged: they may quote the value that was refused.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3101, LogLevel.Debug, "NHS Notify accepted the {Channel} message {MessageReference} as {NhsNotifyId} with status {NhsNotifyStatus}")]
    public static partial void Accepted(ILogger logger, string channel, string messageReference, string? nhsNotifyId, string? nhsNotifyStatus);

    [LoggerMessage(3102, LogLevel.Warning, "NHS Notify refused the {Channel} message for good: HTTP {HttpStatus}, error {ErrorCode}")]
    public static partial void RefusedPermanently(ILogger logger, string channel, int httpStatus, string errorCode);

    [LoggerMessage(3103, LogLevel.Warning, "NHS Notify failed the {Channel} message transiently: HTTP {HttpStatus}, error {ErrorCode}, retry after {RetryAfter}")]
    public static partial void FailedTransiently(ILogger logger, string channel, int httpStatus, string errorCode, TimeSpan? retryAfter);

    [LoggerMessage(3104, LogLevel.Warning, "Could not reach NHS Notify ({Reason}); the send is reported as transient")]
    public static partial void Unreachable(ILogger logger, Exception exception, string reason);

    [LoggerMessage(3105, LogLevel.Warning, "NHS Notify did not answer within {Timeout}; the send is reported as transient (a retry reuses the message reference)")]
    public static partial void TimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(3106, LogLevel.Warning, "NHS Notify's circuit is open after repeated failures; failing fast for {RetryAfter}")]
    public static partial void CircuitOpen(ILogger logger, TimeSpan? retryAfter);

    [LoggerMessage(3107, LogLevel.Information, "NHS Notify already had message reference {MessageReference} (HTTP 422 duplicate): an earlier attempt reached it, so the send counts as accepted")]
    public static partial void Duplicate(ILogger logger, string messageReference);

    [LoggerMessage(3108, LogLevel.Error, "NHS Notify answered HTTP {HttpStatus} with a body that is not a message; the send is reported as accepted under its reference, as NHS Notify created it")]
    public static partial void UnreadableSuccess(ILogger logger, int httpStatus);

    [LoggerMessage(3109, LogLevel.Information, "NHS Notify callback for {MessageReference} has status {NhsNotifyStatus}, which the SDK does not track; ignored")]
    public static partial void StatusUntracked(ILogger logger, string messageReference, string nhsNotifyStatus);
}
