using NodaTime;

namespace Messaging.DirectMessages;

/// <summary>What state a Direct Message is in, for staff views and unlock attempts alike.</summary>
internal static class DirectMessageStates
{
    /// <summary>Why an attempt is refused before the code is checked: locked, or link or code expired; <see langword="null"/> to check the code.</summary>
    internal static DirectMessageUnlockStatus? Refusal(DirectMessage dm, Instant now)
    {
        if (dm.LockedAt is not null)
        {
            return DirectMessageUnlockStatus.Locked;
        }

        if (dm.LinkExpiresAt is { } link && now >= link)
        {
            return DirectMessageUnlockStatus.Expired;
        }

        return dm.AccessCodeExpiresAt is { } code && now >= code ? DirectMessageUnlockStatus.Expired : null;
    }

    internal static DirectMessageView ToView(DirectMessage dm, Instant now) => new(
        dm.Id,
        dm.WorkspaceId,
        dm.ConversationId,
        dm.PatientId,
        dm.SentBy,
        dm.Subject,
        dm.Body,
        dm.Attachments,
        StateOf(dm, now),
        dm.FailedAttempts,
        dm.EmailMessageId,
        dm.SmsMessageId,
        dm.CreatedAt,
        dm.LinkExpiresAt,
        dm.AccessCodeExpiresAt,
        dm.LockedAt,
        dm.FirstUnlockedAt);

    internal static DirectMessageState StateOf(DirectMessage dm, Instant now)
    {
        if (dm.LockedAt is not null)
        {
            return DirectMessageState.Locked;
        }

        if (dm.FirstUnlockedAt is not null)
        {
            return DirectMessageState.Unlocked;
        }

        if (Refusal(dm, now) == DirectMessageUnlockStatus.Expired)
        {
            return DirectMessageState.Expired;
        }

        return dm.LinkTokenHash is null || dm.AccessCodeHash is null ? DirectMessageState.Pending : DirectMessageState.Sent;
    }
}
