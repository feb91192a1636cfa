using Microsoft.Extensions.Logging;

namespace Messaging.Providers.Twilio;

/// <summary>
/// Every log line this package writes, in one place so it can be reviewed: Twilio message SIDs, statuses, HTTP status
/// codes and Twilio error codes only — never a phone number, a message body, the auth token or an API key secret
/// (R22). Twilio's own error messages are not logged either: they often quote the phone number.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Debug, "Twilio accepted the SMS as {MessageSid} with status {TwilioStatus} ({Segments} segments)")]
    public static partial void Accepted(ILogger logger, string messageSid, string? twilioStatus, int? segments);

    [LoggerMessage(3002, LogLevel.Warning, "Twilio refused the SMS for good: HTTP {HttpStatus}, Twilio error {ErrorCode}")]
    public static partial void RefusedPermanently(ILogger logger, int httpStatus, string errorCode);

    [LoggerMessage(3003, LogLevel.Warning, "Twilio failed the SMS transiently: HTTP {HttpStatus}, Twilio error {ErrorCode}, retry after {RetryAfter}")]
    public static partial void FailedTransiently(ILogger logger, int httpStatus, string errorCode, TimeSpan? retryAfter);

    [LoggerMessage(3004, LogLevel.Warning, "Could not reach Twilio ({Reason}); the send is reported as transient")]
    public static partial void Unreachable(ILogger logger, Exception exception, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "Twilio did not answer within {Timeout}; the send is reported as transient (it may have reached Twilio)")]
    public static partial void TimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(3006, LogLevel.Warning, "Twilio's circuit is open after repeated failures; failing fast for {RetryAfter}")]
    public static partial void CircuitOpen(ILogger logger, TimeSpan? retryAfter);

    [LoggerMessage(3007, LogLevel.Error, "Twilio answered HTTP {HttpStatus} with a body that is not a message resource; the send is reported as permanent to avoid a duplicate SMS")]
    public static partial void UnreadableSuccess(ILogger logger, int httpStatus);

    [LoggerMessage(3008, LogLevel.Error, "Refused a Twilio webhook: Messaging:Twilio:AuthToken is not set, and Twilio signs webhooks with it (even when sending with an API key)")]
    public static partial void NoAuthTokenForWebhooks(ILogger logger);

    [LoggerMessage(3009, LogLevel.Information, "Twilio status callback for {MessageSid} has status {TwilioStatus}, which the SDK does not track; ignored")]
    public static partial void StatusUntracked(ILogger logger, string messageSid, string twilioStatus);
}
