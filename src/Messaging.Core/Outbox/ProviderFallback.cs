namespace Messaging.Outbox;

/// <summary>
/// Ordered provider fallback: a send goes to each provider in turn until one accepts it or refuses it for good (a later
/// provider would refuse it too). A provider that throws counts as a transient failure, so the next one is tried; a
/// lost lease (the outbox's fence before a call, R29) ends the send instead.
/// </summary>
internal static class ProviderFallback
{
    /// <summary>Tries the providers in order; returns the last one tried and its answer ("none" when there is none).</summary>
    /// <param name="providers">The providers, in the host's order of preference.</param>
    /// <param name="nameOf">A provider's name.</param>
    /// <param name="send">Hands the send to one provider.</param>
    /// <param name="threw">Told of a provider that threw, before the next one is tried.</param>
    /// <param name="none">The answer when no provider is registered.</param>
    /// <param name="cancellationToken">Cancels the whole send; a cancellation is not counted as a provider failure.</param>
    /// <param name="failed">Told of each provider's refusal, transient or not, before the next one is tried.</param>
    public static async Task<(string Provider, ProviderSendResult Result)> SendAsync<TProvider>(
        IReadOnlyList<TProvider> providers,
        Func<TProvider, string> nameOf,
        Func<TProvider, Task<ProviderSendResult>> send,
        Action<string, Exception> threw,
        ProviderSendResult none,
        CancellationToken cancellationToken,
        Action<string, ProviderSendResult>? failed = null)
    {
        var last = ("none", none);
        foreach (var provider in providers)
        {
            var name = nameOf(provider);
            ProviderSendResult result;
            try
            {
                result = await send(provider).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not MessagingConflictException { ErrorCode: MessagingErrorCodes.LeaseLost }
                && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                threw(name, e);
                result = ProviderSendResult.Transient("exception", e.GetType().Name);
                last = (name, result);
                continue;
            }

            last = (name, result);
            if (result.Succeeded)
            {
                break;
            }

            failed?.Invoke(name, result);
            if (result.Failure != ProviderFailureKind.Transient)
            {
                break;
            }
        }

        return last;
    }
}
