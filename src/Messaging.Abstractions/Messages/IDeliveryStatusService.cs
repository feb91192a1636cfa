namespace Messaging;

/// <summary>Applies providers' delivery reports under R13's forward-only rule; idempotent.</summary>
public interface IDeliveryStatusService
{
    /// <summary>Applies a report.</summary>
    Task<DeliveryUpdateOutcome> ApplyAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken = default);
}
