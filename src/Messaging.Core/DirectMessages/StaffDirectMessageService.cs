using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Messaging.Conversations;
using Messaging.Sending;
using Messaging.Storage;
using Messaging.Workspaces;
using Microsoft.Extensions.Logging;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.DirectMessages;

/// <summary>
/// The staff side of Direct Messages (R18): sending (the record, its link email and code SMS with their outbox entries,
/// and the SMS charge in one unit of work), resending the code, and the audited view and audit trail.
/// </summary>
/// <remarks>
/// The checks every patient-facing send makes (membership, patient, opt-out, attachments, credits, idempotency) are
/// <see cref="SendPreconditions"/>, shared with the SMS and email send path. Logs under <see cref="DirectMessageService"/>'s
/// category, as before the service was split.
/// </remarks>
internal sealed class StaffDirectMessageService(
    IMessagingStore store,
    WorkspaceAccess access,
    SendPreconditions preconditions,
    DirectMessageSecrets secrets,
    DirectMessageLegs legs,
    Sending.PatientLinkWording wording,
    Events.MessagingEventPublisher events,
    Messaging.Credits.CreditAlerts creditAlerts,
    IClock clock,
    ILogger<DirectMessageService> logger,
    Outbox.OutboxSignal outbox)
{
    internal const int MaxSubjectLength = 200;
    private const int MaxConversationRaces = 5;

    public async Task<DirectMessageView> SendAsync(StaffId actor, SendDirectMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateShape(request);
        _ = secrets.Hasher; // not configured: fail before anything is written

        // The conversation may move on meanwhile; nothing is then written, so send on top of its new state.
        return await ConcurrencyRetry.RunAsync(MaxConversationRaces, () => SendOnceAsync(actor, request, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<DirectMessageView> SendOnceAsync(StaffId actor, SendDirectMessageRequest request, CancellationToken cancellationToken)
    {
        var (workspace, existingConversation, patient) = await preconditions.ResolveTargetAsync(actor, request.WorkspaceId, request.ConversationId, request.PatientId, cancellationToken).ConfigureAwait(false);
        var patientId = patient.Id;

        var contentHash = ContentHash(request, patientId, existingConversation?.Id);
        if (request.IdempotencyKey is { } key
            && await FindRepeatAsync(workspace.OrganisationId, key, contentHash, cancellationToken).ConfigureAwait(false) is { } repeat)
        {
            return repeat;
        }

        // Both halves need somewhere to go (R18), and the SMS must be allowed and paid for: all checked before writing.
        var email = patient.Email
            ?? throw new MessagingValidationException(MessagingErrorCodes.RecipientMissing, $"Patient '{patient.Id}' has no email address; a Direct Message needs one for its link.", "email");
        preconditions.RequireRoute(workspace.OrganisationId, MessageChannel.Email);
        preconditions.RequireRoute(workspace.OrganisationId, MessageChannel.Sms);
        var mobile = await preconditions.RequireTextableMobileAsync(workspace.OrganisationId, patient, "mobile", cancellationToken).ConfigureAwait(false);
        var organisation = await store.GetOrganisationAsync(workspace.OrganisationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.OrganisationNotFound(workspace.OrganisationId);
        await preconditions.RequireAttachmentsAsync(workspace.Id, request.Attachments, cancellationToken).ConfigureAwait(false);
        var sms = SmsLeg(organisation, workspace.Id);
        await preconditions.RequireCreditsAsync(workspace.OrganisationId, sms.Credits, cancellationToken).ConfigureAwait(false);

        var now = clock.GetCurrentInstant();
        var conversation = existingConversation ?? NewConversation.Build(workspace, patientId, actor, subject: null, now);
        var active = ConversationActivity.Touch(conversation, existingConversation is null, actor, now, messages: 2);
        var id = DirectMessageId.New();
        var emailMessage = EmailLeg(id, workspace, organisation, conversation.Id, patientId, actor, email, now) with
        {
            IdempotencyKey = request.IdempotencyKey,
            ContentHash = contentHash,
        };
        var smsMessage = Leg(id, workspace, conversation.Id, patientId, actor, now) with
        {
            Channel = MessageChannel.Sms,
            Recipient = mobile.Value,
            Body = sms.Body,
            Segments = sms.Credits,
            Credits = sms.Credits,
        };
        var dm = new DirectMessage
        {
            Id = id,
            OrganisationId = workspace.OrganisationId,
            WorkspaceId = workspace.Id,
            ConversationId = conversation.Id,
            PatientId = patientId,
            SentBy = actor,
            Subject = request.Subject.Trim(),
            Body = request.Body,
            Attachments = [.. request.Attachments],
            EmailMessageId = emailMessage.Id,
            SmsMessageId = smsMessage.Id,
            FailedAttempts = 0,
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
                    work.AddDirectMessage(dm);
                    StageLeg(work, emailMessage, now);
                    StageLeg(work, smsMessage, now);
                    work.AppendAudit(Event(
                        clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Staff(actor), AuditAction.DirectMessageSent, patientId, id.ToString(),
                        new Dictionary<string, string>
                        {
                            ["conversation"] = conversation.Id.ToString(),
                            ["emailMessage"] = emailMessage.Id.ToString(),
                            ["smsMessage"] = smsMessage.Id.ToString(),
                            ["credits"] = sms.Credits.ToString(CultureInfo.InvariantCulture),
                            ["attachments"] = dm.Attachments.Count.ToString(CultureInfo.InvariantCulture),
                        }));
                },
                cancellationToken).ConfigureAwait(false);
            outbox.Committed(); // both legs committed: wake the dispatcher
        }
        catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.AlreadyExists && request.IdempotencyKey is not null)
        {
            // Two sends with one key raced: the loser returns the winner's Direct Message, or conflicts if the content differs.
            var winner = await FindRepeatAsync(workspace.OrganisationId, request.IdempotencyKey, contentHash, cancellationToken).ConfigureAwait(false);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }

        Log.DirectMessageQueued(logger, id, emailMessage.Id, smsMessage.Id, sms.Credits);
        await events.PublishAsync(Events.MessageEvents.Queued(emailMessage), cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(Events.MessageEvents.Queued(smsMessage), cancellationToken).ConfigureAwait(false);
        await creditAlerts.AfterChargeAsync(smsMessage, cancellationToken).ConfigureAwait(false);
        return DirectMessageStates.ToView(dm, now);
    }

    public async Task<DirectMessageView> ResendCodeAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
    {
        _ = secrets.Hasher;

        // An unlock attempt or a colleague may change the Direct Message or conversation meanwhile; nothing is then written.
        return await ConcurrencyRetry.RunAsync(MaxConversationRaces, () => ResendOnceAsync(actor, id, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<DirectMessageView> ResendOnceAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken)
    {
        var dm = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        var (context, conversation) = await access.RequireConversationAsync(dm.ConversationId, actor, cancellationToken).ConfigureAwait(false);
        var workspace = context.Workspace;
        var patient = await store.GetPatientAsync(dm.OrganisationId, dm.PatientId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.PatientNotFound(dm.PatientId);
        preconditions.RequireRoute(dm.OrganisationId, MessageChannel.Sms);
        var mobile = await preconditions.RequireTextableMobileAsync(dm.OrganisationId, patient, "mobile", cancellationToken).ConfigureAwait(false);
        var organisation = await store.GetOrganisationAsync(dm.OrganisationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.OrganisationNotFound(dm.OrganisationId);
        var now = clock.GetCurrentInstant();
        var relink = dm.LinkExpiresAt is { } linkExpiry && linkExpiry <= now;
        EmailAddress? email = relink
            ? patient.Email ?? throw new MessagingValidationException(MessagingErrorCodes.RecipientMissing, $"Patient '{patient.Id}' has no email address; the expired link cannot be resent.", "email")
            : null;
        var sms = SmsLeg(organisation, workspace.Id);
        await preconditions.RequireCreditsAsync(dm.OrganisationId, sms.Credits, cancellationToken).ConfigureAwait(false);

        var smsMessage = Leg(id, workspace, conversation.Id, dm.PatientId, actor, now) with
        {
            Channel = MessageChannel.Sms,
            Recipient = mobile.Value,
            Body = sms.Body,
            Segments = sms.Credits,
            Credits = sms.Credits,
        };
        var emailMessage = email is { } to ? EmailLeg(id, workspace, organisation, conversation.Id, dm.PatientId, actor, to, now) : null;

        // The old code dies now, not when the new SMS goes out; the count and any lock go with it.
        var updated = dm with
        {
            AccessCodeHash = null,
            AccessCodeExpiresAt = null,
            FailedAttempts = 0,
            LockedAt = null,
            SmsMessageId = smsMessage.Id,
            EmailMessageId = emailMessage?.Id ?? dm.EmailMessageId,
            LinkTokenHash = emailMessage is null ? dm.LinkTokenHash : null,
            LinkExpiresAt = emailMessage is null ? dm.LinkExpiresAt : null,
            UpdatedAt = now,
            Version = dm.Version + 1,
        };
        var active = ConversationActivity.Touch(conversation, isNew: false, actor, now, messages: emailMessage is null ? 1 : 2);
        await store.WriteAsync(
            work =>
            {
                work.UpdateDirectMessage(updated, dm.Version);
                ConversationActivity.Stage(work, conversation, active, actor, clock);
                StageLeg(work, smsMessage, now);
                if (emailMessage is not null)
                {
                    StageLeg(work, emailMessage, now);
                }

                var details = new Dictionary<string, string>
                {
                    ["smsMessage"] = smsMessage.Id.ToString(),
                    ["credits"] = sms.Credits.ToString(CultureInfo.InvariantCulture),
                    ["wasLocked"] = (dm.LockedAt is not null).ToString(CultureInfo.InvariantCulture),
                };
                if (emailMessage is not null)
                {
                    details["emailMessage"] = emailMessage.Id.ToString();
                }

                work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Staff(actor), AuditAction.DirectMessageCodeResent, dm.PatientId, id.ToString(), details));
            },
            cancellationToken).ConfigureAwait(false);
        outbox.Committed(); // the resent legs committed: wake the dispatcher
        Log.DirectMessageCodeResent(logger, id, smsMessage.Id, emailMessage is not null);
        await events.PublishAsync(Events.MessageEvents.Queued(smsMessage), cancellationToken).ConfigureAwait(false);
        if (emailMessage is not null)
        {
            await events.PublishAsync(Events.MessageEvents.Queued(emailMessage), cancellationToken).ConfigureAwait(false);
        }

        await creditAlerts.AfterChargeAsync(smsMessage, cancellationToken).ConfigureAwait(false);

        return DirectMessageStates.ToView(updated, now);
    }

    public async Task<DirectMessageView> GetAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
    {
        var dm = await RequireVisibleAsync(actor, id, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Staff(actor), AuditAction.DirectMessageViewed, dm.PatientId, id.ToString())),
            cancellationToken).ConfigureAwait(false);
        return DirectMessageStates.ToView(dm, clock.GetCurrentInstant());
    }

    public async Task<IReadOnlyList<AuditEvent>> GetAuditTrailAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
    {
        var dm = await RequireVisibleAsync(actor, id, cancellationToken).ConfigureAwait(false);
        return await store.ListAuditEventsAsync(
            new AuditQuery { OrganisationId = dm.OrganisationId, TargetId = id.ToString(), Limit = int.MaxValue },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<DirectMessage> RequireAsync(DirectMessageId id, CancellationToken cancellationToken)
        => await store.GetDirectMessageAsync(id, cancellationToken).ConfigureAwait(false)
           ?? throw new MessagingNotFoundException(MessagingErrorCodes.DirectMessageNotFound, $"Direct Message '{id}' was not found.");

    private async Task<DirectMessage> RequireVisibleAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken)
    {
        var dm = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        await access.RequireConversationAsync(dm.ConversationId, actor, cancellationToken).ConfigureAwait(false);
        return dm;
    }

    private (string Body, int Credits) SmsLeg(Organisation organisation, WorkspaceId workspaceId)
    {
        var body = wording.DirectMessageAccessCode(workspaceId, organisation.Name);
        if (body.Length + 1 + secrets.Options.AccessCodeLength > SendPreconditions.MaxSmsLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The organisation name is too long for the access-code SMS (at most {SendPreconditions.MaxSmsLength} characters in all).", "organisation");
        }

        // Counted on the text as the patient will receive it: a code of the configured length from a GSM-7 alphabet.
        return (body, SmsSegmentCalculator.Calculate(DirectMessageTexts.SmsWithCode(body, secrets.PlaceholderCode)).Segments);
    }

    private static Message Leg(DirectMessageId id, Workspace workspace, ConversationId conversationId, PatientId patientId, StaffId actor, Instant now) => new()
    {
        Id = MessageId.New(),
        OrganisationId = workspace.OrganisationId,
        WorkspaceId = workspace.Id,
        ConversationId = conversationId,
        PatientId = patientId,
        Channel = MessageChannel.Email,
        Direction = MessageDirection.Outbound,
        SentBy = actor,
        Recipient = string.Empty,
        Body = string.Empty,
        Status = DeliveryStatus.Queued,
        DirectMessageId = id,
        ContentHash = string.Empty,
        CreatedAt = now,
        UpdatedAt = now,
        Version = 1,
    };

    /// <summary>
    /// The link email as stored: rendered from the host's template with a stand-in link, so the record shows what was
    /// sent without the token; the outbox renders it again with the real link.
    /// </summary>
    private Message EmailLeg(DirectMessageId id, Workspace workspace, Organisation organisation, ConversationId conversationId, PatientId patientId, StaffId actor, EmailAddress to, Instant now)
    {
        var message = Leg(id, workspace, conversationId, patientId, actor, now);
        var email = legs.LinkEmail(to, message.Id, workspace.Id, organisation.Name, workspace.Name, secrets.PlaceholderLink);
        return message with { Channel = MessageChannel.Email, Recipient = to.Value, Subject = email.Subject, Body = email.TextBody, HtmlBody = email.HtmlBody };
    }

    private static void StageLeg(IMessagingUnitOfWork work, Message message, Instant now)
    {
        work.AddMessage(message);
        work.AddOutboxEntry(new OutboxEntry(message.Id, Attempts: 0, NextAttemptAt: now));
        if (message.Credits > 0)
        {
            work.AppendCreditEntry(Messaging.Credits.CreditAlerts.Charge(message, now));
        }
    }

    private async Task<DirectMessageView?> FindRepeatAsync(OrganisationId organisationId, string key, string contentHash, CancellationToken cancellationToken)
    {
        var original = await preconditions.FindRepeatAsync(organisationId, key, contentHash, cancellationToken).ConfigureAwait(false);
        if (original is null)
        {
            return null;
        }

        var dm = original.DirectMessageId is { } id ? await store.GetDirectMessageAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return dm is null
            ? throw new MessagingConflictException(MessagingErrorCodes.IdempotencyKeyReused, "This idempotency key was already used for a different message.")
            : DirectMessageStates.ToView(dm, clock.GetCurrentInstant());
    }

    private static void ValidateShape(SendDirectMessageRequest request)
    {
        SendPreconditions.RequireTarget(request.ConversationId, request.PatientId);
        Errors.RequireText(request.Subject, "subject", MaxSubjectLength);
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            throw Errors.Required("body");
        }

        if (request.Body.Length > SendPreconditions.MaxEmailLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The body must be at most {SendPreconditions.MaxEmailLength} characters long.", "body");
        }

        if (request.Attachments is null || request.Attachments.Count > SendPreconditions.MaxAttachments || request.Attachments.Distinct().Count() != request.Attachments.Count)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"A Direct Message carries 0 to {SendPreconditions.MaxAttachments} different attachments.", "attachments");
        }

        SendPreconditions.RequireIdempotencyKeyShape(request.IdempotencyKey);
    }

    private static string ContentHash(SendDirectMessageRequest request, PatientId patientId, ConversationId? conversationId)
    {
        var attachments = string.Join('\u001e', request.Attachments.Select(a => a.ToString()));
        var canonical = string.Join('\u001f', request.WorkspaceId.Value, patientId.Value, conversationId?.ToString() ?? "-", MessageChannel.DirectMessage.Value, request.Subject, request.Body, attachments);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
