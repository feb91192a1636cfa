namespace Messaging;

/// <summary>Where a Direct Message stands, as staff see it.</summary>
public enum DirectMessageState
{
    /// <summary>Queued: the link or the code has not been handed to its provider yet.</summary>
    Pending = 0,

    /// <summary>The link and code are out and the patient has not unlocked it yet.</summary>
    Sent = 1,

    /// <summary>The patient unlocked it at least once (it stays readable with a valid link and code).</summary>
    Unlocked = 2,

    /// <summary>Locked after too many wrong codes.</summary>
    Locked = 3,

    /// <summary>The link or the code expired.</summary>
    Expired = 4,
}
