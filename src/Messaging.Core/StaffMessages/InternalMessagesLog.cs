using Microsoft.Extensions.Logging;

namespace Messaging;

/// <summary>Log lines of internal messages: ids and counts only, never a body or subject (R22).</summary>
internal static partial class Log
{
    [LoggerMessage(1830, LogLevel.Information, "Internal message {MessageId} sent in thread {ThreadId}; {Notified} colleagues notified")]
    public static partial void InternalMessageSent(ILogger logger, ConversationId threadId, MessageId messageId, int notified);
}
