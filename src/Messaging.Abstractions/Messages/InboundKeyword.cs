namespace Messaging;

/// <summary>What an inbound SMS meant for opt-out (R14).</summary>
public enum InboundKeyword
{
    /// <summary>Not a keyword.</summary>
    None = 0,

    /// <summary>STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or OPTOUT: the number is opted out.</summary>
    OptOut = 1,

    /// <summary>START or UNSTOP: the number is opted back in.</summary>
    OptIn = 2,
}
