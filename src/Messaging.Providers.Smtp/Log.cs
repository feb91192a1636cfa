using Microsoft.Extensions.Logging;

namespace Messaging.Providers.Smtp;

/// <summary>
/// Every log line the SMTP provider writes, in one place so it can be reviewed: the relay's host and port, TLS mode,
/// Message-IDs (a hash of the idempotency key), SMTP reply codes and the relay's reply text with addresses masked —
/// never a recipient address, a name, a subject, a body or the password (R22).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Debug, "Opened an SMTP connection to {Host}:{Port} ({TlsMode}, authenticated: {Authenticated})")]
    public static partial void Connected(ILogger logger, string host, int port, SmtpTlsMode tlsMode, bool authenticated);

    [LoggerMessage(9002, LogLevel.Debug, "The SMTP relay accepted message {MessageId}")]
    public static partial void Accepted(ILogger logger, string messageId);

    [LoggerMessage(9003, LogLevel.Warning, "The SMTP relay did not take message {MessageId}: {Failure} failure, code {ErrorCode}: {Description}")]
    public static partial void SendFailed(ILogger logger, string messageId, ProviderFailureKind failure, string? errorCode, string? description);

    [LoggerMessage(9004, LogLevel.Information, "A pooled SMTP connection had gone stale ({Reason}); sending over a new one")]
    public static partial void StaleConnectionReplaced(ILogger logger, string reason);

    [LoggerMessage(9005, LogLevel.Warning, "AllowInvalidCertificates is on for SMTP relay {Host}: any certificate is accepted, so email can be read in transit. Development only.")]
    public static partial void InvalidCertificatesAllowed(ILogger logger, string host);

    [LoggerMessage(9006, LogLevel.Debug, "Closing an SMTP connection failed; it was dropped")]
    public static partial void CloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(9007, LogLevel.Warning, "SMTP relay {Host} does not offer DSN: no delivery reports will come back, so its emails stay Sent")]
    public static partial void DsnUnsupported(ILogger logger, string host);

    [LoggerMessage(9008, LogLevel.Information, "Read {Reports} delivery reports from the bounce mailbox: {Applied} matched an email, {Unmatched} did not and were left flagged")]
    public static partial void BounceRound(ILogger logger, int reports, int applied, int unmatched);

    [LoggerMessage(9009, LogLevel.Warning, "Reading the bounce mailbox failed ({ErrorType}); trying again at the next poll")]
    public static partial void BounceRoundFailed(ILogger logger, string errorType);
}
