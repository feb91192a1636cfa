namespace Messaging.Storage;

/// <summary>Runs an operation again when its unit of work lost an optimistic-concurrency race (nothing of it was written).</summary>
internal static class ConcurrencyRetry
{
    /// <summary>
    /// Runs <paramref name="operation"/>, and again (reading afresh) each time it fails with
    /// <see cref="MessagingErrorCodes.ConcurrencyConflict"/>, up to <paramref name="maxAttempts"/> attempts in all.
    /// </summary>
    public static async Task<T> RunAsync<T>(int maxAttempts, Func<Task<T>> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict && attempt < maxAttempts)
            {
                // Someone else wrote to the same record meanwhile; try again on top of their change.
            }
        }
    }
}
