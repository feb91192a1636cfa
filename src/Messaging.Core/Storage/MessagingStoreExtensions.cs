namespace Messaging.Storage;

internal static class MessagingStoreExtensions
{
    /// <summary>Stages the writes of one operation in a unit of work and commits them together (R21).</summary>
    public static async Task WriteAsync(this IMessagingStore store, Action<IMessagingUnitOfWork> stage, CancellationToken cancellationToken)
    {
        var work = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (work.ConfigureAwait(false))
        {
            stage(work);
            await work.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
