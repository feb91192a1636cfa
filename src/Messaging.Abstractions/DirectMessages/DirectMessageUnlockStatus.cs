namespace Messaging;

/// <summary>What an unlock attempt came to. Each is a distinct result the host shows its own page for.</summary>
public enum DirectMessageUnlockStatus
{
    /// <summary>The link and the code match: <see cref="DirectMessageUnlockResult.Content"/> holds the message.</summary>
    Unlocked = 0,

    /// <summary>The code is wrong (or the old one after a resend); <see cref="DirectMessageUnlockResult.AttemptsLeft"/> say how many tries remain.</summary>
    WrongCode = 1,

    /// <summary>Too many wrong codes: even the right one is refused until staff resend a new code.</summary>
    Locked = 2,

    /// <summary>The link or the code is too old; staff can resend.</summary>
    Expired = 3,

    /// <summary>No such link (never issued, mistyped, or replaced by a newer one).</summary>
    Unknown = 4,
}
