namespace Messaging;

/// <summary>What a Direct-Message link is worth before a code is entered, for the host's unlock page.</summary>
public enum DirectMessageLinkStatus
{
    /// <summary>Ask for the code.</summary>
    Ready = 0,

    /// <summary>Locked after too many wrong codes; staff must resend.</summary>
    Locked = 1,

    /// <summary>The link or code is too old; staff must resend.</summary>
    Expired = 2,

    /// <summary>No such link.</summary>
    Unknown = 3,
}
