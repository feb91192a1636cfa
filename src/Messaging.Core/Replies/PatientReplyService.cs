using Messaging.Attachments;
using Messaging.Events;
using Messaging.Notifications;
using Messaging.Storage;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Replies;

/// <summary>
/// The patient's side of "Allow patient to reply" (R12): what a link shows, and the one reply it allows. A reply lands
/// in the conversation, spends the token, reopens the conversation, makes it unread and notifies the assignee (R9), all
/// in one unit of work, which also queues the content-free notification emails in the outbox.
/// </summary>
internal sealed class PatientReplyService(
    IMessagingStore store, AttachmentService attachments, StaffNotifier notifier, IClock clock, MessagingEventPublisher events, Outbox.OutboxSignal outbox) : IPatientReplyService
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

    public Task<PatientReplyResult> ReplyAsync(string token, string body, CancellationToken cancellationToken = default)
        => ReplyCoreAsync(token, body, upload: null, cancellationToken);

    public Task<PatientReplyResult> ReplyAsync(string token, string body, AttachmentUpload attachment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return ReplyCoreAsync(token, body, attachment, cancellationToken);
    }

    private async Task<PatientReplyResult> ReplyCoreAsync(string token, string body, AttachmentUpload? upload, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw Errors.Required("body");
        }

        if (body.Length > MaxReplyLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"A reply must be at most {MaxReplyLength} characters long.", "body");
        }

        // A file is checked and stored only for a link that works now; if the reply is refused after all (a concurrent
        // reply won), its bytes are removed again.
        Attachment? attachment = null;
        if (upload is not null)
        {
            var (status, record) = await CheckAsync(token, cancellationToken).ConfigureAwait(false);
            if (status != ReplyLinkStatus.Valid)
            {
                return new PatientReplyResult(status);
            }

            var conversation = await store.GetConversationAsync(record!.ConversationId, cancellationToken).ConfigureAwait(false)
                ?? throw Errors.ConversationNotFound(record.ConversationId);
            attachment = await attachments.StoreBytesAsync(conversation.OrganisationId, conversation.WorkspaceId, upload, staff: null, record.PatientId, cancellationToken).ConfigureAwait(false);
        }

        var accepted = false;
        try
        {
            var result = await ReplyLoopAsync(token, body, attachment, cancellationToken).ConfigureAwait(false);
            accepted = result.Accepted;
            return result;
        }
        finally
        {
            if (attachment is not null && !accepted)
            {
                await attachments.RemoveAsync(attachment.Id).ConfigureAwait(false);
            }
        }
    }

    private async Task<PatientReplyResult> ReplyLoopAsync(string token, string body, Attachment? attachment, CancellationToken cancellationToken)
    {
        for (var race = 1; ; race++)
        {
            var (status, record) = await CheckAsync(token, cancellationToken).ConfigureAwait(false);
            if (status != ReplyLinkStatus.Valid)
            {
                return new PatientReplyResult(status);
            }

            try
            {
                return new PatientReplyResult(ReplyLinkStatus.Valid, await RecordAsync(record!, body, attachment, cancellationToken).ConfigureAwait(false));
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

            // Its message failed for good: the link no longer works, as an expired one (R29).
            { State: ReplyTokenState.Revoked } => (ReplyLinkStatus.Expired, record),
            _ when clock.GetCurrentInstant() >= record.ExpiresAt => (ReplyLinkStatus.Expired, record),

            // Active, or pending: its message is still being retried after an uncertain result, and a patient who holds
            // the link evidently received it (R29).
            _ => (ReplyLinkStatus.Valid, record),
        };
    }

    private async Task<MessageId> RecordAsync(ReplyToken token, string body, Attachment? attachment, CancellationToken cancellationToken)
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
            Attachments = attachment is null ? [] : [attachment.Id],
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

        var notices = await notifier.PlanForAssigneeAsync(updated, NotificationKind.PatientReplied, reply.Id, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work =>
            {
                work.SpendReplyToken(token.TokenHash, now);
                if (attachment is not null)
                {
                    work.AddAttachment(attachment);
                    work.AppendAudit(Event(clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Patient(conversation.PatientId), AuditAction.AttachmentUploaded, conversation.PatientId, attachment.Id.ToString(),
                        new Dictionary<string, string> { ["message"] = reply.Id.ToString(), ["contentType"] = attachment.ContentType, ["sha256"] = attachment.Sha256 }));
                }

                StaffNotifier.Stage(work, notices);
                work.UpdateConversation(updated, conversation.Version);
                work.AddMessage(reply);
                work.AppendAudit(Event(clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Patient(conversation.PatientId), AuditAction.PatientReplied, conversation.PatientId, reply.Id.ToString(),
                    new Dictionary<string, string> { ["conversation"] = conversation.Id.ToString(), ["inReplyTo"] = original.Id.ToString() }));
            },
            cancellationToken).ConfigureAwait(false);

        // Committed, with the emails (which say only that a patient replied, R9) queued in the outbox: the dispatcher
        // sends them; the patient does not wait for them.
        outbox.Committed();
        await events.PublishAsync(MessageEvents.Replied(reply, original.Id), cancellationToken).ConfigureAwait(false);
        return reply.Id;
    }
}
