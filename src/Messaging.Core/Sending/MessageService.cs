using System.Security.Cryptography;
using System.Text;
using Messaging.Conversations;
using Messaging.Events;
using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Logging;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Sending;

/// <summary>
/// The send path (R10, R14, R15, R20, R24): validate, check opt-out, count segments, charge credits, and write the
/// message, its outbox record, the charge and the conversation's new activity in one unit of work. Returns at once.
/// </summary>
internal sealed class MessageService(
    IMessagingStore store,
    WorkspaceAccess access,
    SendPreconditions preconditions,
    SmsCost smsCost,
    PatientLinkWording wording,
    IClock clock,
    MessagingEventPublisher events,
    Messaging.Credits.CreditAlerts creditAlerts,
    ILogger<MessageService> logger,
    Outbox.OutboxSignal outbox) : IMessageService
{
    private const int MaxConversationRaces = 5;

    public async Task<Message> SendAsync(StaffId actor, SendMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateShape(request);
        // Someone else may write to the conversation meanwhile (a colleague's message, a patient's reply): nothing of
        // this send is then written, so read the conversation again and send on top of it.
        return await ConcurrencyRetry.RunAsync(MaxConversationRaces, () => SendOnceAsync(actor, request, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<Message> SendOnceAsync(StaffId actor, SendMessageRequest request, CancellationToken cancellationToken)
    {
        var (workspace, existingConversation, patient) = await preconditions.ResolveTargetAsync(actor, request.WorkspaceId, request.ConversationId, request.PatientId, cancellationToken).ConfigureAwait(false);
        var patientId = patient.Id;

        var contentHash = ContentHash(request, patientId, existingConversation?.Id);
        if (request.IdempotencyKey is { } key
            && await preconditions.FindRepeatAsync(workspace.OrganisationId, key, contentHash, cancellationToken).ConfigureAwait(false) is { } repeat)
        {
            return repeat;
        }

        preconditions.RequireRoute(workspace.OrganisationId, request.Channel);
        var recipient = await ResolveRecipientAsync(workspace.OrganisationId, patient, request.Channel, cancellationToken).ConfigureAwait(false);
        await preconditions.RequireAttachmentsAsync(workspace.Id, request.Attachments, cancellationToken).ConfigureAwait(false);

        // Counted on the text as the patient will receive it, download and reply links included.
        // An SMS is stored (and so retried and shown in history) as the patient receives it: GSM-7 downgraded if the host opted in.
        var body = request.Channel == MessageChannel.Sms ? wording.StaffSmsText(request.Body) : request.Body;
        var segments = 0;
        if (request.Channel == MessageChannel.Sms)
        {
            // The limit holds for what is sent: the staff text plus its links, checked before anything is charged (R21).
            var (cost, length) = smsCost.MeasureComposed(workspace.Id, body, request.Attachments.Count, request.AllowReply);
            if (length > SendPreconditions.MaxSmsLength)
            {
                throw new MessagingValidationException(
                    MessagingErrorCodes.TooLong,
                    $"The SMS with its links would be {length} characters; an SMS provider takes at most {SendPreconditions.MaxSmsLength}. Shorten the text by {length - SendPreconditions.MaxSmsLength} characters, or send fewer attachments.",
                    "body");
            }

            segments = cost.Segments;
        }

        var credits = segments;
        if (credits > 0)
        {
            await preconditions.RequireCreditsAsync(workspace.OrganisationId, credits, cancellationToken).ConfigureAwait(false);
        }

        var now = clock.GetCurrentInstant();
        var conversation = existingConversation ?? NewConversation.Build(workspace, patientId, actor, subject: null, now);
        var active = ConversationActivity.Touch(conversation, existingConversation is null, actor, now);
        var message = new Message
        {
            Id = MessageId.New(),
            OrganisationId = workspace.OrganisationId,
            WorkspaceId = workspace.Id,
            ConversationId = conversation.Id,
            PatientId = patientId,
            Channel = request.Channel,
            Direction = MessageDirection.Outbound,
            SentBy = actor,
            Recipient = recipient,
            Subject = request.Channel == MessageChannel.Email ? request.Subject!.Trim() : null,
            Body = body,
            HtmlBody = request.HtmlBody,
            AllowReply = request.AllowReply,
            Attachments = [.. request.Attachments],
            Status = DeliveryStatus.Queued,
            Segments = segments,
            Credits = credits,
            IdempotencyKey = request.IdempotencyKey,
            ContentHash = contentHash,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };

        try
        {
            await store.WriteAsync(
                work =>
                {
                    ConversationActivity.Stage(work, existingConversation, active, actor, clock);
                    work.AddMessage(message);
                    work.AddOutboxEntry(new OutboxEntry(message.Id, Attempts: 0, NextAttemptAt: now));
                    if (credits > 0)
                    {
                        work.AppendCreditEntry(Messaging.Credits.CreditAlerts.Charge(message, now));
                    }

                    work.AppendAudit(Event(
                        clock, workspace.OrganisationId, workspace.Id, AuditActor.Staff(actor), AuditAction.MessageSent, patientId, message.Id.ToString(),
                        new Dictionary<string, string> { ["channel"] = message.Channel.Value, ["conversation"] = conversation.Id.ToString(), ["credits"] = credits.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
                },
                cancellationToken).ConfigureAwait(false);
            outbox.Committed(); // committed: wake the dispatcher (never before, or its claim could miss the entry)
        }
        catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.AlreadyExists && request.IdempotencyKey is not null)
        {
            // Two sends with one key raced: the loser returns the winner's message, or conflicts if the content differs.
            var winner = await preconditions.FindRepeatAsync(workspace.OrganisationId, request.IdempotencyKey, contentHash, cancellationToken).ConfigureAwait(false);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }

        Log.MessageQueued(logger, message.Id, message.Channel.Value, segments);
        await events.PublishAsync(MessageEvents.Queued(message), cancellationToken).ConfigureAwait(false);
        if (credits > 0)
        {
            await creditAlerts.AfterChargeAsync(message, cancellationToken).ConfigureAwait(false);
        }
        return message;
    }

    public async Task<IReadOnlyList<Message>> ListAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        var (_, conversation) = await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        var messages = await store.ListConversationMessagesAsync(conversationId, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, conversation.OrganisationId, conversation.WorkspaceId, AuditActor.Staff(actor), AuditAction.ConversationMessagesViewed, conversation.PatientId, conversation.Id.ToString())),
            cancellationToken).ConfigureAwait(false);
        return messages;
    }

    private const int MaxSubjectLength = 200;

    private static void ValidateShape(SendMessageRequest request)
    {
        if (request.Channel != MessageChannel.Sms && request.Channel != MessageChannel.Email)
        {
            throw new MessagingValidationException(MessagingErrorCodes.ChannelNotSupported, $"Channel '{request.Channel}' cannot be sent with SendAsync; use SMS or email.", "channel");
        }

        SendPreconditions.RequireTarget(request.ConversationId, request.PatientId);
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            throw Errors.Required("body");
        }

        var max = request.Channel == MessageChannel.Sms ? SendPreconditions.MaxSmsLength : SendPreconditions.MaxEmailLength;
        if (request.Body.Length > max)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The body must be at most {max} characters long for {request.Channel}.", "body");
        }

        if (request.Channel == MessageChannel.Email)
        {
            Errors.RequireText(request.Subject, "subject", MaxSubjectLength);
            if (request.HtmlBody is { Length: > SendPreconditions.MaxEmailLength })
            {
                throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The HTML body must be at most {SendPreconditions.MaxEmailLength} characters long.", "htmlBody");
            }
        }
        else
        {
            // An SMS is plain text with no subject: refused rather than silently dropped (R21).
            if (request.Subject is not null)
            {
                throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, "An SMS has no subject; leave Subject unset.", "subject");
            }

            if (request.HtmlBody is not null)
            {
                throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, "An SMS is plain text; leave HtmlBody unset.", "htmlBody");
            }
        }

        if (request.Attachments is null || request.Attachments.Count > SendPreconditions.MaxAttachments || request.Attachments.Distinct().Count() != request.Attachments.Count)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"A message may carry at most {SendPreconditions.MaxAttachments} different attachments.", "attachments");
        }

        SendPreconditions.RequireIdempotencyKeyShape(request.IdempotencyKey);
    }

    private async Task<string> ResolveRecipientAsync(OrganisationId organisationId, Patient patient, MessageChannel channel, CancellationToken cancellationToken)
    {
        if (channel == MessageChannel.Email)
        {
            return patient.Email?.Value
                ?? throw new MessagingValidationException(MessagingErrorCodes.RecipientMissing, $"Patient '{patient.Id}' has no email address.", "channel");
        }

        return (await preconditions.RequireTextableMobileAsync(organisationId, patient, "channel", cancellationToken).ConfigureAwait(false)).Value;
    }

    private static string ContentHash(SendMessageRequest request, PatientId patientId, ConversationId? conversationId)
    {
        var canonical = string.Join('\u001f', request.WorkspaceId.Value, patientId.Value, conversationId?.ToString() ?? "-", request.Channel.Value, request.Subject ?? "", request.Body, request.HtmlBody ?? "", request.AllowReply ? "reply" : "", string.Join(',', request.Attachments));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
