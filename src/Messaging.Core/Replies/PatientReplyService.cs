using Messaging.Events;
using Messaging.Storage;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Replies;

/// <summary>
/// The patient's side of "Allow patient to reply" (R12): what a link shows, and the one reply it allows. A reply lands
/// in the conversation, spends the token, reopens the conversation and makes it unread, all in one unit of work.
/// </summary>
internal sealed class PatientReplyService(IMessagingStore store, IClock clock, MessagingEventPublisher events) : IPatientReplyService
{
    internal const int MaxReplyLength = 2000;
    private const int MaxConversationRaces = 5;

    public async Task<ReplyLinkView> OpenAsync(string token, CancellationToken cancellationToken = default)
    {
        var (status, record) = await CheckAsync(token, cancellationToken).ConfigureAwait(false);
        if (status != ReplyLinkStatus.Valid)
        {
            return new ReplyLinkView(status);
        }

        var message = await store.GetMessageAsync(record!.MessageId, cancellationToken).ConfigureAwait(false);
        var sender = message?.SentBy is { } staff ? await store.GetMemberAsync(message.WorkspaceId, staff, cancellationToken).ConfigureAwait(false) : null;
        return new ReplyLinkView(ReplyLinkStatus.Valid, message?.Body, sender?.DisplayName);
    }

    public async Task<PatientReplyResult> ReplyAsync(string token, string body, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw Errors.Required("body");
        }

        if (body.Length > MaxReplyLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"A reply must be at most {MaxReplyLength} characters long.", "body");
        }

        for (var race = 1; ; race++)
        {
            var (status, record) = await CheckAsync(token, cancellationToken).ConfigureAwait(false);
            if (status != ReplyLinkStatus.Valid)
            {
                return new PatientReplyResult(status);
            }

            try
            {
                return new PatientReplyResult(ReplyLinkStatus.Valid, await RecordAsync(record!, body, cancellationToken).ConfigureAwait(false));
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ReplyTokenSpent)
            {
                // Another reply with the same token won, or a newer message superseded it: say which.
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict && race < MaxConversationRaces)
            {
                // Staff wrote to the conversation meanwhile; nothing was written, so try again on the new version.
            }
        }
    }

    private async Task<(ReplyLinkStatus Status, ReplyToken? Record)> CheckAsync(string token, CancellationToken cancellationToken)
    {
        if (!ReplyTokens.HasTokenShape(token))
        {
            return (ReplyLinkStatus.Unknown, null);
        }

        var record = await store.FindReplyTokenAsync(ReplyTokens.Hash(token), cancellationToken).ConfigureAwait(false);
        return record switch
        {
            null => (ReplyLinkStatus.Unknown, null),
            { State: ReplyTokenState.Used } => (ReplyLinkStatus.AlreadyUsed, record),
            { State: ReplyTokenState.Superseded } => (ReplyLinkStatus.Superseded, record),
            _ when clock.GetCurrentInstant() >= record.ExpiresAt => (ReplyLinkStatus.Expired, record),
            _ => (ReplyLinkStatus.Valid, record),
        };
    }

    private async Task<MessageId> RecordAsync(ReplyToken token, string body, CancellationToken cancellationToken)
    {
        var conversation = await store.GetConversationAsync(token.ConversationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.ConversationNotFound(token.ConversationId);
        var original = await store.GetMessageAsync(token.MessageId, cancellationToken).ConfigureAwait(false)
            ?? throw new MessagingNotFoundException(MessagingErrorCodes.MessageNotFound, $"Message '{token.MessageId}' was not found.");

        var now = clock.GetCurrentInstant();
        var reply = new Message
        {
            Id = MessageId.New(),
            OrganisationId = conversation.OrganisationId,
            WorkspaceId = conversation.WorkspaceId,
            ConversationId = conversation.Id,
            PatientId = conversation.PatientId,
            Channel = original.Channel,
            Direction = MessageDirection.Inbound,
            InReplyTo = original.Id,
            Recipient = conversation.WorkspaceId.Value,
            Body = body,
            Status = DeliveryStatus.Delivered,
            ContentHash = string.Empty,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        var updated = conversation with
        {
            ActivitySequence = conversation.ActivitySequence + 1,
            LastActivityAt = now,
            Status = ConversationStatus.Open,
            Version = conversation.Version + 1,
        };

        await store.WriteAsync(
            work =>
            {
                work.SpendReplyToken(token.TokenHash, now);
                work.UpdateConversation(updated, conversation.Version);
                work.AddMessage(reply);
                work.AppendAudit(Event(clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Patient(conversation.PatientId), AuditAction.PatientReplied, conversation.PatientId, reply.Id.ToString(),
                    new Dictionary<string, string> { ["conversation"] = conversation.Id.ToString(), ["inReplyTo"] = original.Id.ToString() }));
            },
            cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(MessageEvents.Replied(reply, original.Id), cancellationToken).ConfigureAwait(false);
        return reply.Id;
    }
}
