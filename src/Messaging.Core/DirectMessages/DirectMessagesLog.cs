using Microsoft.Extensions.Logging;

namespace Messaging;

/// <summary>Log lines of Direct Messages: ids, counts and states only, never content, a link, a code or a hash (R22).</summary>
internal static partial class Log
{
    [LoggerMessage(1810, LogLevel.Information, "Direct Message {DirectMessageId} queued: email {EmailMessageId}, SMS {SmsMessageId} ({Credits} credits)")]
    public static partial void DirectMessageQueued(ILogger logger, DirectMessageId directMessageId, MessageId emailMessageId, MessageId smsMessageId, int credits);

    [LoggerMessage(1811, LogLevel.Information, "Direct Message {DirectMessageId} unlocked")]
    public static partial void DirectMessageUnlocked(ILogger logger, DirectMessageId directMessageId);

    [LoggerMessage(1812, LogLevel.Information, "Direct Message {DirectMessageId}: wrong access code ({AttemptsLeft} attempts left)")]
    public static partial void DirectMessageWrongCode(ILogger logger, DirectMessageId directMessageId, int attemptsLeft);

    [LoggerMessage(1813, LogLevel.Warning, "Direct Message {DirectMessageId} locked after {FailedAttempts} wrong access codes")]
    public static partial void DirectMessageLocked(ILogger logger, DirectMessageId directMessageId, int failedAttempts);

    [LoggerMessage(1814, LogLevel.Information, "Direct Message {DirectMessageId}: access code resent (SMS {SmsMessageId}, new link: {NewLink})")]
    public static partial void DirectMessageCodeResent(ILogger logger, DirectMessageId directMessageId, MessageId smsMessageId, bool newLink);

    [LoggerMessage(1815, LogLevel.Information, "Message {MessageId} of Direct Message {DirectMessageId} was replaced by a resend before it went out; not sending it")]
    public static partial void DirectMessageLegSuperseded(ILogger logger, MessageId messageId, DirectMessageId directMessageId);

    [LoggerMessage(1816, LogLevel.Warning, "Message {MessageId}: access-code hashing is busy; the outbox retries it when its lease lapses")]
    public static partial void DirectMessageLegBusy(ILogger logger, MessageId messageId);
}
