namespace Messaging;

/// <summary>What became of a delivery report.</summary>
public enum DeliveryUpdateOutcome
{
    /// <summary>The status moved forward.</summary>
    Applied = 0,

    /// <summary>Nothing changed: a repeat, or a report older than the status the message already has (R13).</summary>
    Ignored = 1,

    /// <summary>No message is known by that provider id.</summary>
    UnknownMessage = 2,
}
