namespace Messaging;

/// <summary>Drains the outbox (R20). The SDK runs it in the background; hosts and tests may also call it directly.</summary>
public interface IOutboxDispatcher
{
    /// <summary>Claims the due entries and hands each to its provider once; returns how many were processed.</summary>
    Task<int> DispatchDueAsync(CancellationToken cancellationToken = default);
}
