using Microsoft.Extensions.Logging;

namespace Messaging;

/// <summary>Log lines of Direct-Message access-code hashing: counts and settings only, never a code, pepper or hash (R22).</summary>
internal static partial class Log
{
    [LoggerMessage(1801, LogLevel.Warning, "Access-code hashing refused a request as busy: all {MaxConcurrentHashes} slots stayed in use for {QueueTimeout}")]
    public static partial void AccessCodeHashingBusy(ILogger logger, int maxConcurrentHashes, TimeSpan queueTimeout);
}
