namespace Messaging.Testing.Providers;

/// <summary>
/// R13's forward-only order as the SDK applies delivery reports (<see cref="IDeliveryStatusService"/>; the core's
/// <c>DeliveryStatusService</c>): Queued, Sending, Sent, then the three final states, which never follow one another.
/// A report moves a message only to a status of a higher rank; a repeat or an older report changes nothing.
/// </summary>
internal static class DeliveryStatusOrder
{
    public static int Rank(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => 0,
        DeliveryStatus.Sending => 1,
        DeliveryStatus.Sent => 2,
        _ => 3,
    };

    /// <summary>The status a message ends at when the reports arrive in this order, starting from Sending (the dispatcher's).</summary>
    public static DeliveryStatus Apply(IEnumerable<DeliveryStatus> reports)
    {
        var current = DeliveryStatus.Sending;
        foreach (var report in reports)
        {
            if (Rank(report) > Rank(current))
            {
                current = report;
            }
        }

        return current;
    }
}
