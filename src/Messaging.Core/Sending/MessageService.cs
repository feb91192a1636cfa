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
    SmsCost smsCost,
    IClock clock,
    MessagingEventPublisher events,
    ILogger<MessageService> logger) : IMessageService
{
    internal const int MaxSmsLength = 1600;      // what SMS providers accept in one request (Twilio: 1,600 characters)
    internal const int MaxEmailLength = 100_000;
    internal const int MaxIdempotencyKeyLength = 200;
    private const int MaxConversationRaces = 5;
    internal const int MaxAttachments = 5;

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
        var (workspace, existingConversation, patient) = await ResolveTargetAsync(store, access, actor, request.WorkspaceId, request.ConversationId, request.PatientId, cancellationToken).ConfigureAwait(false);
        var patientId = patient.Id;

        var contentHash = ContentHash(request, patientId, existingConversation?.Id);
        if (request.IdempotencyKey is { } key
            && await FindRepeatAsync(store, workspace.OrganisationId, key, contentHash, cancellationToken).ConfigureAwait(false) is { } repeat)
        {
            return repeat;
        }

        var recipient = await ResolveRecipientAsync(workspace.OrganisationId, patient, request.Channel, cancellationToken).ConfigureAwait(false);
        await RequireAttachmentsAsync(store, workspace.Id, request.Attachments, cancellationToken).ConfigureAwait(false);

        // Counted on the text as the patient will receive it, download and reply links included.
        var segments = request.Channel == MessageChannel.Sms ? smsCost.Measure(request.Body, request.Attachments.Count, request.AllowReply).Segments : 0;
        var credits = segments;
        if (credits > 0)
        {
            // A friendly early refusal; the ledger enforces the same at commit, so concurrent sends never overdraw.
            var balance = await store.GetCreditBalanceAsync(workspace.OrganisationId, cancellationToken).ConfigureAwait(false);
            if (balance < credits)
            {
                throw InsufficientCredits(workspace.OrganisationId, balance, credits);
            }
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
            Subject = request.Subject,
            Body = request.Body,
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
                        work.AppendCreditEntry(new CreditLedgerEntry(Guid.NewGuid(), workspace.OrganisationId, CreditEntryKind.Charge, -credits, message.Id, now));
                    }

                    work.AppendAudit(Event(
                        clock, workspace.OrganisationId, workspace.Id, AuditActor.Staff(actor), AuditAction.MessageSent, patientId, message.Id.ToString(),
                        new Dictionary<string, string> { ["channel"] = message.Channel.Value, ["conversation"] = conversation.Id.ToString(), ["credits"] = credits.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.AlreadyExists && request.IdempotencyKey is not null)
        {
            // Two sends with one key raced: the loser returns the winner's message, or conflicts if the content differs.
            var winner = await FindRepeatAsync(store, workspace.OrganisationId, request.IdempotencyKey, contentHash, cancellationToken).ConfigureAwait(false);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }

        Log.MessageQueued(logger, message.Id, message.Channel.Value, segments);
        await events.PublishAsync(MessageEvents.Queued(message), cancellationToken).ConfigureAwait(false);
        return message;
    }

    public async Task<IReadOnlyList<Message>> ListAsync(StaffId actor, ConversationId conversationId, CancellationToken cancellationToken = default)
    {
        await access.RequireConversationAsync(conversationId, actor, cancellationToken).ConfigureAwait(false);
        return await store.ListConversationMessagesAsync(conversationId, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateShape(SendMessageRequest request)
    {
        if (request.Channel != MessageChannel.Sms && request.Channel != MessageChannel.Email)
        {
            throw new MessagingValidationException(MessagingErrorCodes.ChannelNotSupported, $"Channel '{request.Channel}' cannot be sent with SendAsync; use SMS or email.", "channel");
        }

        if (request.ConversationId is null && request.PatientId is null)
        {
            throw new MessagingValidationException(MessagingErrorCodes.Required, "Either the conversation to continue or the patient to start one with is required.", "conversationId");
        }

        if (string.IsNullOrWhiteSpace(request.Body))
        {
            throw Errors.Required("body");
        }

        var max = request.Channel == MessageChannel.Sms ? MaxSmsLength : MaxEmailLength;
        if (request.Body.Length > max)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The body must be at most {max} characters long for {request.Channel}.", "body");
        }

        if (request.Channel == MessageChannel.Email)
        {
            Errors.RequireText(request.Subject, "subject", 200);
        }

        if (request.Attachments is null || request.Attachments.Count > MaxAttachments || request.Attachments.Distinct().Count() != request.Attachments.Count)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"A message may carry at most {MaxAttachments} different attachments.", "attachments");
        }

        if (request.IdempotencyKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > MaxIdempotencyKeyLength))
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The idempotency key must be 1 to {MaxIdempotencyKeyLength} characters long.", "idempotencyKey");
        }
    }

    /// <summary>
    /// Where a send goes: the workspace (the actor must be a member), the conversation to continue (visible to the actor,
    /// of this workspace and patient) or <see langword="null"/> to start one, and the patient.
    /// </summary>
    internal static async Task<(Workspace Workspace, Conversation? Conversation, Patient Patient)> ResolveTargetAsync(
        IMessagingStore store, WorkspaceAccess access, StaffId actor, WorkspaceId workspaceId, ConversationId? conversationId, PatientId? patientId, CancellationToken cancellationToken)
    {
        var workspace = (await access.RequireMemberAsync(workspaceId, actor, cancellationToken).ConfigureAwait(false)).Workspace;
        var conversation = await ResolveConversationAsync(access, actor, workspace, conversationId, patientId, cancellationToken).ConfigureAwait(false);
        var id = conversation?.PatientId ?? patientId!.Value;
        var patient = await store.GetPatientAsync(workspace.OrganisationId, id, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PatientNotFound(id);
        return (workspace, conversation, patient);
    }

    private static async Task<Conversation?> ResolveConversationAsync(
        WorkspaceAccess access, StaffId actor, Workspace workspace, ConversationId? conversationId, PatientId? patientId, CancellationToken cancellationToken)
    {
        if (conversationId is not { } id)
        {
            return null;
        }

        var (_, conversation) = await access.RequireConversationAsync(id, actor, cancellationToken).ConfigureAwait(false);
        if (conversation.WorkspaceId != workspace.Id || (patientId is { } p && p != conversation.PatientId))
        {
            throw new MessagingValidationException(MessagingErrorCodes.ConversationNotFound, $"Conversation '{id}' is not a conversation of workspace '{workspace.Id}' with that patient.", "conversationId");
        }

        return conversation;
    }

    private async Task<string> ResolveRecipientAsync(OrganisationId organisationId, Patient patient, MessageChannel channel, CancellationToken cancellationToken)
    {
        if (channel == MessageChannel.Email)
        {
            return patient.Email?.Value
                ?? throw new MessagingValidationException(MessagingErrorCodes.RecipientMissing, $"Patient '{patient.Id}' has no email address.", "channel");
        }

        return (await RequireTextableMobileAsync(store, organisationId, patient, "channel", cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>The patient's mobile, if they have one and have not opted out of SMS (R14).</summary>
    internal static async Task<PhoneNumber> RequireTextableMobileAsync(IMessagingStore store, OrganisationId organisationId, Patient patient, string field, CancellationToken cancellationToken)
    {
        var mobile = patient.Mobile
            ?? throw new MessagingValidationException(MessagingErrorCodes.RecipientMissing, $"Patient '{patient.Id}' has no mobile number.", field);
        if (await store.GetOptOutAsync(organisationId, mobile, cancellationToken).ConfigureAwait(false) is { OptedOut: true })
        {
            throw new MessagingConflictException(MessagingErrorCodes.RecipientOptedOut, $"Patient '{patient.Id}' has opted out of SMS (replied STOP); they must reply START before they can be texted again.");
        }

        return mobile;
    }

    /// <summary>Checks that every attachment was uploaded to the workspace.</summary>
    internal static async Task RequireAttachmentsAsync(IMessagingStore store, WorkspaceId workspaceId, IReadOnlyList<AttachmentId> attachments, CancellationToken cancellationToken)
    {
        foreach (var id in attachments)
        {
            var attachment = await store.GetAttachmentAsync(id, cancellationToken).ConfigureAwait(false);
            if (attachment is null || attachment.WorkspaceId != workspaceId)
            {
                throw new MessagingValidationException(MessagingErrorCodes.AttachmentNotFound, $"Attachment '{id}' was not uploaded to workspace '{workspaceId}'.", "attachments");
            }
        }
    }

    /// <summary>The organisation's message with this idempotency key if its content hash matches; a conflict if it does not (R24).</summary>
    internal static async Task<Message?> FindRepeatAsync(IMessagingStore store, OrganisationId organisationId, string key, string contentHash, CancellationToken cancellationToken)
    {
        var original = await store.FindMessageByIdempotencyKeyAsync(organisationId, key, cancellationToken).ConfigureAwait(false);
        if (original is null)
        {
            return null;
        }

        return original.ContentHash == contentHash
            ? original
            : throw new MessagingConflictException(MessagingErrorCodes.IdempotencyKeyReused, "This idempotency key was already used for a different message.");
    }

    private static string ContentHash(SendMessageRequest request, PatientId patientId, ConversationId? conversationId)
    {
        var canonical = string.Join('\u001f', request.WorkspaceId.Value, patientId.Value, conversationId?.ToString() ?? "-", request.Channel.Value, request.Subject ?? "", request.Body, request.HtmlBody ?? "", request.AllowReply ? "reply" : "", string.Join(',', request.Attachments));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    internal static MessagingConflictException InsufficientCredits(OrganisationId organisationId, int balance, int needed)
        => new(MessagingErrorCodes.InsufficientCredits, $"Organisation '{organisationId}' has {balance} SMS credits; this message needs {needed}.");
}
