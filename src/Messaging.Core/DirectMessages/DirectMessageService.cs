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
/// Direct Messages (R18): sending (the record, its link email and code SMS with their outbox entries, and the SMS
/// charge in one unit of work), unlocking with link + code under a five-wrong-codes lock, staff resend, view and audit.
/// </summary>
/// <remarks>
/// Concurrency: every change to a Direct Message is an update against the version read, so two concurrent wrong codes
/// cannot both be counted on top of the same count; the loser reads again and retries, reusing its Argon2id result when
/// the code hash it checked is still the current one.
/// </remarks>
internal sealed class DirectMessageService(
    IMessagingStore store,
    WorkspaceAccess access,
    DirectMessageSecrets secrets,
    DirectMessageLegs legs,
    Attachments.AttachmentLinks attachmentLinks,
    Events.MessagingEventPublisher events,
    IClock clock,
    ILogger<DirectMessageService> logger) : IDirectMessageService
{
    internal const int MaxSubjectLength = 200;
    private const int MaxConversationRaces = 5;
    private const int MaxUnlockRaces = 20;

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
        var (workspace, existingConversation, patient) = await MessageService.ResolveTargetAsync(store, access, actor, request.WorkspaceId, request.ConversationId, request.PatientId, cancellationToken).ConfigureAwait(false);
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
        var mobile = await MessageService.RequireTextableMobileAsync(store, workspace.OrganisationId, patient, "mobile", cancellationToken).ConfigureAwait(false);
        var organisation = await store.GetOrganisationAsync(workspace.OrganisationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.OrganisationNotFound(workspace.OrganisationId);
        await MessageService.RequireAttachmentsAsync(store, workspace.Id, request.Attachments, cancellationToken).ConfigureAwait(false);
        var sms = SmsLeg(organisation);
        await RequireCreditsAsync(workspace.OrganisationId, sms.Credits, cancellationToken).ConfigureAwait(false);

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
        return ToView(dm, now);
    }

    public async Task<DirectMessageLinkStatus> CheckLinkAsync(string linkToken, CancellationToken cancellationToken = default)
    {
        _ = secrets.Hasher;
        if (!DirectMessageSecrets.HasLinkTokenShape(linkToken)
            || await store.FindDirectMessageByLinkTokenHashAsync(DirectMessageSecrets.HashLinkToken(linkToken), cancellationToken).ConfigureAwait(false) is not { } dm)
        {
            return DirectMessageLinkStatus.Unknown;
        }

        return Refusal(dm, clock.GetCurrentInstant()) switch
        {
            DirectMessageUnlockStatus.Locked => DirectMessageLinkStatus.Locked,
            DirectMessageUnlockStatus.Expired => DirectMessageLinkStatus.Expired,
            _ => DirectMessageLinkStatus.Ready,
        };
    }

    public async Task<DirectMessageUnlockResult> UnlockAsync(string linkToken, string accessCode, CancellationToken cancellationToken = default)
    {
        var hasher = secrets.Hasher;
        if (!DirectMessageSecrets.HasLinkTokenShape(linkToken))
        {
            return new DirectMessageUnlockResult(DirectMessageUnlockStatus.Unknown);
        }

        var linkHash = DirectMessageSecrets.HashLinkToken(linkToken);
        HashedAccessCode? checkedAgainst = null;
        var codeMatches = false;
        for (var race = 1; ; race++)
        {
            var dm = await store.FindDirectMessageByLinkTokenHashAsync(linkHash, cancellationToken).ConfigureAwait(false);
            if (dm is null)
            {
                return new DirectMessageUnlockResult(DirectMessageUnlockStatus.Unknown);
            }

            var now = clock.GetCurrentInstant();
            if (Refusal(dm, now) is { } refused)
            {
                await AuditRefusalAsync(dm, refused, cancellationToken).ConfigureAwait(false);
                return new DirectMessageUnlockResult(refused);
            }

            if (dm.AccessCodeHash is null)
            {
                // A resend killed the old code and the new SMS has not gone out: nothing to guess, so nothing is counted.
                await AuditRefusalAsync(dm, DirectMessageUnlockStatus.WrongCode, cancellationToken).ConfigureAwait(false);
                return new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: DirectMessageSecrets.MaxFailedAttempts - dm.FailedAttempts);
            }

            // The memory-hard check runs under the hasher's concurrency bound, and again only if the code changed.
            var stored = HashedAccessCode.Parse(dm.AccessCodeHash);
            if (!stored.Equals(checkedAgainst))
            {
                codeMatches = await hasher.VerifyAsync(accessCode ?? string.Empty, stored, cancellationToken).ConfigureAwait(false);
                checkedAgainst = stored;
            }

            try
            {
                return codeMatches
                    ? await RecordUnlockAsync(dm, now, cancellationToken).ConfigureAwait(false)
                    : await RecordWrongCodeAsync(dm, now, cancellationToken).ConfigureAwait(false);
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict && race < MaxUnlockRaces)
            {
                // Another attempt (or a resend) changed the Direct Message since we read it: nothing was written; read
                // again so that this attempt counts on top of that one.
            }
        }
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
        var mobile = await MessageService.RequireTextableMobileAsync(store, dm.OrganisationId, patient, "mobile", cancellationToken).ConfigureAwait(false);
        var organisation = await store.GetOrganisationAsync(dm.OrganisationId, cancellationToken).ConfigureAwait(false)
            ?? throw Errors.OrganisationNotFound(dm.OrganisationId);
        var now = clock.GetCurrentInstant();
        var relink = dm.LinkExpiresAt is { } linkExpiry && linkExpiry <= now;
        EmailAddress? email = relink
            ? patient.Email ?? throw new MessagingValidationException(MessagingErrorCodes.RecipientMissing, $"Patient '{patient.Id}' has no email address; the expired link cannot be resent.", "email")
            : null;
        var sms = SmsLeg(organisation);
        await RequireCreditsAsync(dm.OrganisationId, sms.Credits, cancellationToken).ConfigureAwait(false);

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
        Log.DirectMessageCodeResent(logger, id, smsMessage.Id, emailMessage is not null);
        await events.PublishAsync(Events.MessageEvents.Queued(smsMessage), cancellationToken).ConfigureAwait(false);
        if (emailMessage is not null)
        {
            await events.PublishAsync(Events.MessageEvents.Queued(emailMessage), cancellationToken).ConfigureAwait(false);
        }

        return ToView(updated, now);
    }

    public async Task<DirectMessageView> GetAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
    {
        var dm = await RequireVisibleAsync(actor, id, cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(
            work => work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Staff(actor), AuditAction.DirectMessageViewed, dm.PatientId, id.ToString())),
            cancellationToken).ConfigureAwait(false);
        return ToView(dm, clock.GetCurrentInstant());
    }

    public async Task<IReadOnlyList<AuditEvent>> GetAuditTrailAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken = default)
    {
        var dm = await RequireVisibleAsync(actor, id, cancellationToken).ConfigureAwait(false);
        return await store.ListAuditEventsAsync(
            new AuditQuery { OrganisationId = dm.OrganisationId, TargetId = id.ToString(), Limit = int.MaxValue },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<DirectMessageUnlockResult> RecordUnlockAsync(DirectMessage dm, Instant now, CancellationToken cancellationToken)
    {
        // Only the first unlock, or one after wrong codes, changes the record; later ones are audited only, so many
        // concurrent right answers do not fight over the version.
        var changes = dm.FailedAttempts > 0 || dm.FirstUnlockedAt is null;

        // Each unlock gets its own download links (hash-only, expiring, R11), written with the unlock's audit event.
        var downloads = new List<(DirectMessageDownload Download, AttachmentLink Record)>(dm.Attachments.Count);
        foreach (var attachmentId in dm.Attachments)
        {
            if (await store.GetAttachmentAsync(attachmentId, cancellationToken).ConfigureAwait(false) is { } attachment)
            {
                var (record, link) = attachmentLinks.Issue(dm.EmailMessageId, dm.OrganisationId, attachmentId);
                downloads.Add((new DirectMessageDownload(attachmentId, attachment.FileName, attachment.ContentType, attachment.Length, link), record));
            }
        }

        await store.WriteAsync(
            work =>
            {
                if (changes)
                {
                    work.UpdateDirectMessage(dm with { FailedAttempts = 0, FirstUnlockedAt = dm.FirstUnlockedAt ?? now, UpdatedAt = now, Version = dm.Version + 1 }, dm.Version);
                }

                foreach (var (_, record) in downloads)
                {
                    work.AddAttachmentLink(record);
                }

                work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Patient(dm.PatientId), AuditAction.DirectMessageUnlocked, dm.PatientId, dm.Id.ToString(),
                    new Dictionary<string, string> { ["attachments"] = downloads.Count.ToString(CultureInfo.InvariantCulture) }));
            },
            cancellationToken).ConfigureAwait(false);
        Log.DirectMessageUnlocked(logger, dm.Id);

        // The event names the link email, the message the patient opened (its DirectMessageId leads to this record).
        await events.PublishAsync(new DirectMessageUnlocked(dm.OrganisationId, dm.WorkspaceId, dm.ConversationId, dm.EmailMessageId, dm.PatientId, MessageChannel.DirectMessage, now), cancellationToken).ConfigureAwait(false);
        var sender = await store.GetMemberAsync(dm.WorkspaceId, dm.SentBy, cancellationToken).ConfigureAwait(false);
        return new DirectMessageUnlockResult(
            DirectMessageUnlockStatus.Unlocked,
            new DirectMessageContent(dm.Id, dm.Subject, dm.Body, [.. downloads.Select(d => d.Download)], sender?.DisplayName, dm.CreatedAt));
    }

    private async Task<DirectMessageUnlockResult> RecordWrongCodeAsync(DirectMessage dm, Instant now, CancellationToken cancellationToken)
    {
        var failed = dm.FailedAttempts + 1;
        var left = Math.Max(0, DirectMessageSecrets.MaxFailedAttempts - failed);
        var locks = left == 0;
        await store.WriteAsync(
            work =>
            {
                work.UpdateDirectMessage(dm with { FailedAttempts = failed, LockedAt = locks ? now : null, UpdatedAt = now, Version = dm.Version + 1 }, dm.Version);
                var patient = AuditActor.Patient(dm.PatientId);
                work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, patient, AuditAction.DirectMessageUnlockFailed, dm.PatientId, dm.Id.ToString(),
                    new Dictionary<string, string> { ["failedAttempts"] = failed.ToString(CultureInfo.InvariantCulture), ["attemptsLeft"] = left.ToString(CultureInfo.InvariantCulture) }));
                if (locks)
                {
                    work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, patient, AuditAction.DirectMessageLocked, dm.PatientId, dm.Id.ToString(),
                        new Dictionary<string, string> { ["failedAttempts"] = failed.ToString(CultureInfo.InvariantCulture) }));
                }
            },
            cancellationToken).ConfigureAwait(false);

        if (locks)
        {
            Log.DirectMessageLocked(logger, dm.Id, failed);
            return new DirectMessageUnlockResult(DirectMessageUnlockStatus.Locked);
        }

        Log.DirectMessageWrongCode(logger, dm.Id, left);
        return new DirectMessageUnlockResult(DirectMessageUnlockStatus.WrongCode, AttemptsLeft: left);
    }

    private Task AuditRefusalAsync(DirectMessage dm, DirectMessageUnlockStatus reason, CancellationToken cancellationToken)
        => store.WriteAsync(
            work => work.AppendAudit(Event(clock, dm.OrganisationId, dm.WorkspaceId, AuditActor.Patient(dm.PatientId), AuditAction.DirectMessageUnlockRefused, dm.PatientId, dm.Id.ToString(),
                new Dictionary<string, string>
                {
                    ["reason"] = reason switch
                    {
                        DirectMessageUnlockStatus.Locked => "locked",
                        DirectMessageUnlockStatus.Expired => "expired",
                        _ => "no_current_code",
                    },
                })),
            cancellationToken);

    /// <summary>Why an attempt is refused before the code is checked: locked, or link or code expired; <see langword="null"/> to check the code.</summary>
    private static DirectMessageUnlockStatus? Refusal(DirectMessage dm, Instant now)
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

    private async Task<DirectMessage> RequireAsync(DirectMessageId id, CancellationToken cancellationToken)
        => await store.GetDirectMessageAsync(id, cancellationToken).ConfigureAwait(false)
           ?? throw new MessagingNotFoundException(MessagingErrorCodes.DirectMessageNotFound, $"Direct Message '{id}' was not found.");

    private async Task<DirectMessage> RequireVisibleAsync(StaffId actor, DirectMessageId id, CancellationToken cancellationToken)
    {
        var dm = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        await access.RequireConversationAsync(dm.ConversationId, actor, cancellationToken).ConfigureAwait(false);
        return dm;
    }

    private async Task RequireCreditsAsync(OrganisationId organisationId, int credits, CancellationToken cancellationToken)
    {
        // A friendly early refusal; the ledger enforces the same at commit, so concurrent sends never overdraw.
        var balance = await store.GetCreditBalanceAsync(organisationId, cancellationToken).ConfigureAwait(false);
        if (balance < credits)
        {
            throw MessageService.InsufficientCredits(organisationId, balance, credits);
        }
    }

    private (string Body, int Credits) SmsLeg(Organisation organisation)
    {
        var body = DirectMessageTexts.SmsBody(organisation.Name);
        if (body.Length + 1 + secrets.Options.AccessCodeLength > MessageService.MaxSmsLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The organisation name is too long for the access-code SMS (at most {MessageService.MaxSmsLength} characters in all).", "organisation");
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
        var email = legs.LinkEmail(to, message.Id, organisation.Name, workspace.Name, secrets.PlaceholderLink);
        return message with { Channel = MessageChannel.Email, Recipient = to.Value, Subject = email.Subject, Body = email.TextBody, HtmlBody = email.HtmlBody };
    }

    private static void StageLeg(IMessagingUnitOfWork work, Message message, Instant now)
    {
        work.AddMessage(message);
        work.AddOutboxEntry(new OutboxEntry(message.Id, Attempts: 0, NextAttemptAt: now));
        if (message.Credits > 0)
        {
            work.AppendCreditEntry(new CreditLedgerEntry(Guid.NewGuid(), message.OrganisationId, CreditEntryKind.Charge, -message.Credits, message.Id, now));
        }
    }

    private async Task<DirectMessageView?> FindRepeatAsync(OrganisationId organisationId, string key, string contentHash, CancellationToken cancellationToken)
    {
        var original = await MessageService.FindRepeatAsync(store, organisationId, key, contentHash, cancellationToken).ConfigureAwait(false);
        if (original is null)
        {
            return null;
        }

        var dm = original.DirectMessageId is { } id ? await store.GetDirectMessageAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return dm is null
            ? throw new MessagingConflictException(MessagingErrorCodes.IdempotencyKeyReused, "This idempotency key was already used for a different message.")
            : ToView(dm, clock.GetCurrentInstant());
    }

    private static void ValidateShape(SendDirectMessageRequest request)
    {
        if (request.ConversationId is null && request.PatientId is null)
        {
            throw new MessagingValidationException(MessagingErrorCodes.Required, "Either the conversation to continue or the patient to start one with is required.", "conversationId");
        }

        Errors.RequireText(request.Subject, "subject", MaxSubjectLength);
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            throw Errors.Required("body");
        }

        if (request.Body.Length > MessageService.MaxEmailLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"The body must be at most {MessageService.MaxEmailLength} characters long.", "body");
        }

        if (request.Attachments is null || request.Attachments.Count > MessageService.MaxAttachments || request.Attachments.Distinct().Count() != request.Attachments.Count)
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"A Direct Message carries 0 to {MessageService.MaxAttachments} different attachments.", "attachments");
        }

        if (request.IdempotencyKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > MessageService.MaxIdempotencyKeyLength))
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, $"The idempotency key must be 1 to {MessageService.MaxIdempotencyKeyLength} characters long.", "idempotencyKey");
        }
    }

    private static string ContentHash(SendDirectMessageRequest request, PatientId patientId, ConversationId? conversationId)
    {
        var attachments = string.Join('\u001e', request.Attachments.Select(a => a.ToString()));
        var canonical = string.Join('\u001f', request.WorkspaceId.Value, patientId.Value, conversationId?.ToString() ?? "-", MessageChannel.DirectMessage.Value, request.Subject, request.Body, attachments);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static DirectMessageView ToView(DirectMessage dm, Instant now) => new(
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

    private static DirectMessageState StateOf(DirectMessage dm, Instant now)
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
