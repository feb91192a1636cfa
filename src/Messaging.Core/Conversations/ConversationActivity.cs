using Messaging.Storage;
using NodaTime;

namespace Messaging.Conversations;

/// <summary>What staff sending into a conversation does to it (R5, R7): activity moves on, the sender becomes a participant and has read it, and it reopens.</summary>
internal static class ConversationActivity
{
    /// <summary>The conversation after <paramref name="actor"/> adds <paramref name="messages"/> messages at <paramref name="now"/>.</summary>
    /// <param name="conversation">The stored conversation, or a new one from <see cref="NewConversation.Build"/>.</param>
    /// <param name="isNew">Whether it is new (a new one keeps its first version).</param>
    /// <param name="actor">The sender.</param>
    /// <param name="now">When.</param>
    /// <param name="messages">How many messages the send adds.</param>
    public static Conversation Touch(Conversation conversation, bool isNew, StaffId actor, Instant now, int messages = 1) => conversation with
    {
        ActivitySequence = conversation.ActivitySequence + messages,
        LastActivityAt = now,
        Participants = conversation.IsParticipant(actor) ? conversation.Participants : [.. conversation.Participants, actor],
        Status = ConversationStatus.Open,
        Version = isNew ? conversation.Version : conversation.Version + 1,
    };

    /// <summary>Stages the touched conversation (new with its first assignment, or updated against <paramref name="existing"/>'s version) and the sender's read position.</summary>
    public static void Stage(IMessagingUnitOfWork work, Conversation? existing, Conversation touched, StaffId actor, IClock clock)
    {
        if (existing is null)
        {
            NewConversation.Stage(work, touched, clock);
        }
        else
        {
            work.UpdateConversation(touched, existing.Version);
        }

        work.SetReadPosition(new ReadPosition(touched.Id, actor, touched.ActivitySequence, MarkedUnread: false));
    }
}
