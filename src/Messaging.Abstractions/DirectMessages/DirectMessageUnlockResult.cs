namespace Messaging;

/// <summary>The outcome of an unlock attempt (R18).</summary>
/// <param name="Status">Which of the five outcomes it is.</param>
/// <param name="Content">The message, when <see cref="DirectMessageUnlockStatus.Unlocked"/>.</param>
/// <param name="AttemptsLeft">Wrong codes still allowed before the message locks (for <see cref="DirectMessageUnlockStatus.WrongCode"/>).</param>
public sealed record DirectMessageUnlockResult(DirectMessageUnlockStatus Status, DirectMessageContent? Content = null, int AttemptsLeft = 0)
{
    /// <summary>Whether the content was released.</summary>
    public bool Unlocked => Status == DirectMessageUnlockStatus.Unlocked;
}
