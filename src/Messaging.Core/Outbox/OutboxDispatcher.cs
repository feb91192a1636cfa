using Messaging.Events;
using Messaging.Sending;
using Messaging.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using static Messaging.Audit.Audit;

namespace Messaging.Outbox;

/// <summary>
/// Drains the outbox (R20): claims due entries under a lease, hands each message to its organisation's providers in
/// the order of its route (R26; <see cref="ProviderRoutes"/>: a later provider is tried when an earlier one fails transiently), and records the outcome in one unit of work:
/// sent; or rescheduled with exponential backoff and jitter; or failed with the provider's code and refunded.
/// No unit of work is open while a provider is called.
/// </summary>
/// <remarks>
/// <para>Leases (R29): a round claims no more entries than its calls can start within one lease
/// (<see cref="ClaimSize"/>), and each provider call is fenced — just before it, a conditional write extends this
/// instance's lease and fails with <see cref="MessagingErrorCodes.LeaseLost"/> if another instance took the entry or the
/// lease lapsed — and cut off after <see cref="OutboxOptions.ProviderCallTimeout"/>, which the options validator keeps
/// at most half the lease. So a call runs only under a lease that outlasts it, and the outcome is written before another
/// instance could claim the entry.</para>
/// <para>The window that stays open without provider idempotency: a provider accepted a message, and this instance
/// crashed (or its write failed, or a provider ignored the cut-off and answered after it) before the outcome was written.
/// The entry is claimed again after its lease and the message sent again with the same idempotency key, which
/// idempotent providers use to drop the repeat. It is as short as one provider answer plus one write.</para>
/// <para>Each entry is processed on its own: an exception is logged (its type only: exception messages may carry patient
/// data) and recorded against that entry as a failed attempt, and never cancels the others.</para>
/// </remarks>
internal sealed class OutboxDispatcher(
    IMessagingStore store,
    ProviderRoutes routes,
    OptOutService optOuts,
    Replies.ReplyTokens replyTokens,
    Attachments.AttachmentLinks attachmentLinks,
    PatientLinkWording wording,
    DirectMessages.DirectMessageLegs directMessageLegs,
    IClock clock,
    MessagingEventPublisher events,
    IOptions<OutboxOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcher> logger,
    OutboxSignal signal,
    Notifications.StaffNotifier notifier) : IOutboxDispatcher
{
    private readonly OutboxOptions _options = options.Value;

    /// <summary>This instance's name on its claims.</summary>
    internal string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// How many entries one round claims: at most <see cref="OutboxOptions.BatchSize"/>, and no more than
    /// <see cref="OutboxOptions.MaxConcurrency"/> calls at a time can start within one lease when each takes up to
    /// <see cref="OutboxOptions.ProviderCallTimeout"/> — one wave of calls' time is kept back for the work around them.
    /// A later entry still waiting when its lease lapsed fails its fence and is left for the next claimer.
    /// </summary>
    internal int ClaimSize
    {
        get
        {
            var waves = Math.Max(1, (int)(_options.Lease / _options.ProviderCallTimeout) - 1);
            return (int)Math.Min(_options.BatchSize, (long)_options.MaxConcurrency * waves);
        }
    }

    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var claimed = await store.ClaimOutboxAsync(Owner, clock.GetCurrentInstant(), Duration.FromTimeSpan(_options.Lease), ClaimSize, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            claimed,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (entry, ct) => await ProcessIsolatedAsync(entry, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return claimed.Count;
    }

    /// <summary>
    /// Processes one entry so that nothing it throws reaches the others (<see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
    /// would cancel their calls): the exception counts as a failed attempt of that entry, which backs off and, after
    /// <see cref="OutboxOptions.MaxAttempts"/>, fails the message like any permanent failure. Only the host's shutdown
    /// passes through.
    /// </summary>
    private async Task ProcessIsolatedAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.DispatchThrew(logger, entry.MessageId, e.GetType().FullName ?? e.GetType().Name, entry.Attempts + 1);
            try
            {
                await RecordExceptionAsync(entry, e, cancellationToken).ConfigureAwait(false);
            }
            catch (MessagingConflictException conflict) when (conflict.ErrorCode is MessagingErrorCodes.LeaseLost or MessagingErrorCodes.ConcurrencyConflict)
            {
                Log.LeaseLost(logger, entry.MessageId);
            }
            catch (Exception again) when (again is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Nothing could be written (the store may be down): the entry comes back after its lease.
                Log.DispatchThrew(logger, entry.MessageId, again.GetType().FullName ?? again.GetType().Name, entry.Attempts + 1);
            }
        }
    }

    /// <summary>Records an exception as a transient failure of the entry's attempt, against the message as stored now.</summary>
    private async Task RecordExceptionAsync(OutboxEntry entry, Exception exception, CancellationToken cancellationToken)
    {
        var message = await store.GetMessageAsync(entry.MessageId, cancellationToken).ConfigureAwait(false);
        if (message is null && await FindNotificationAsync(entry, cancellationToken).ConfigureAwait(false) is { } notification)
        {
            await RecordNotificationEmailAsync(entry, notification.Id, "none", ProviderSendResult.Transient("dispatch_error", exception.GetType().Name), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message is null || DeliveryStatusService.Rank(message.Status) >= DeliveryStatusService.Rank(DeliveryStatus.Sent))
        {
            // Its outcome is already written (the exception came after it): only the entry is left.
            await store.WriteAsync(work => work.CompleteOutboxEntry(entry.MessageId, Owner), cancellationToken).ConfigureAwait(false);
            return;
        }

        await RecordAsync(entry, message, "none", ProviderSendResult.Transient("dispatch_error", exception.GetType().Name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The fence (R29): proves, by a conditional write, that this instance still holds an unexpired lease on the entry,
    /// and extends it by <see cref="OutboxOptions.Lease"/>; throws <see cref="MessagingErrorCodes.LeaseLost"/> otherwise.
    /// </summary>
    private Task FenceAsync(MessageId messageId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return store.WriteAsync(work => work.RenewOutboxLease(messageId, Owner, now, now + Duration.FromTimeSpan(_options.Lease)), cancellationToken);
    }

    /// <summary>
    /// One provider call, fenced and cut off after <see cref="OutboxOptions.ProviderCallTimeout"/> (a transient
    /// <c>timeout</c>); a provider that ignores its token is no longer waited for.
    /// </summary>
    private async Task<ProviderSendResult> FencedCallAsync(MessageId messageId, Func<CancellationToken, Task<ProviderSendResult>> call, CancellationToken cancellationToken)
    {
        await FenceAsync(messageId, cancellationToken).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(_options.ProviderCallTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ProviderSendResult.Transient("timeout", $"The provider did not answer within {_options.ProviderCallTimeout}.");
        }
    }

    private async Task ProcessAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var message = await store.GetMessageAsync(entry.MessageId, cancellationToken).ConfigureAwait(false);
            if (message is null && await FindNotificationAsync(entry, cancellationToken).ConfigureAwait(false) is { } notification)
            {
                await ProcessNotificationEmailAsync(entry, notification, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (message is null || DeliveryStatusService.Rank(message.Status) >= DeliveryStatusService.Rank(DeliveryStatus.Sent))
            {
                await store.WriteAsync(work => work.CompleteOutboxEntry(entry.MessageId, Owner), cancellationToken).ConfigureAwait(false);
                return;
            }

            string text;
            string? html;
            if (message.DirectMessageId is not null)
            {
                // A Direct Message's email or SMS: its half of the secret is minted now, only its hash stored (R18).
                if (await directMessageLegs.PrepareAsync(message, cancellationToken).ConfigureAwait(false) is not { } leg)
                {
                    await RecordAsync(entry, message, "none", ProviderSendResult.Permanent("superseded", "A staff resend replaced this message."), cancellationToken).ConfigureAwait(false);
                    return;
                }

                (message, text, html) = leg;
            }
            else
            {
                // Before the provider call, in its own unit of work: Queued -> Sending, and for a reply-enabled message its
                // reply token, stored as a hash only (R12), likewise a download link per attachment (R11). Both are derived
                // from the message, so a retry sends the same links and re-issuing them stores nothing new (R29). The reply
                // token is pending: it supersedes the conversation's working link only once the provider took the message.
                var reply = message.AllowReply ? replyTokens.Issue(message) : default;
                var downloads = message.Attachments.Select(id => attachmentLinks.Issue(message, id)).ToArray();
                if (message.Status == DeliveryStatus.Queued || message.AllowReply || downloads.Length > 0)
                {
                    var sending = message with { Status = DeliveryStatus.Sending, UpdatedAt = clock.GetCurrentInstant(), Version = message.Version + 1 };
                    var current = message;
                    await store.WriteAsync(
                        work =>
                        {
                            work.UpdateMessage(sending, current.Version);
                            if (reply.Record is { } token)
                            {
                                work.IssueReplyToken(token);
                            }

                            foreach (var download in downloads)
                            {
                                work.AddAttachmentLink(download.Record);
                            }
                        },
                        cancellationToken).ConfigureAwait(false);
                    message = sending;
                }

                Uri[] links = [.. downloads.Select(d => d.Link)];
                text = wording.Compose(message.WorkspaceId, message.Body, links, reply.Link);
                html = wording.ComposeHtml(message.WorkspaceId, message.HtmlBody, links, reply.Link);
            }

            var (provider, result) = await SendAsync(message, text, html, cancellationToken).ConfigureAwait(false);
            await RecordAsync(entry, message, provider, result, cancellationToken).ConfigureAwait(false);
        }
        catch (MessagingConflictException e) when (e.ErrorCode is MessagingErrorCodes.LeaseLost or MessagingErrorCodes.ConcurrencyConflict)
        {
            Log.LeaseLost(logger, entry.MessageId);
        }
        catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.DirectMessageBusy)
        {
            Log.DirectMessageLegBusy(logger, entry.MessageId);
        }
    }

    /// <summary>The notification whose email an entry is, when it is not a message's (<see cref="Notifications.StaffNotifier.Stage"/>).</summary>
    private ValueTask<Notification?> FindNotificationAsync(OutboxEntry entry, CancellationToken cancellationToken)
        => store.GetNotificationAsync(new NotificationId(entry.MessageId.Value), cancellationToken);

    /// <summary>
    /// A staff notification's content-free email (R9, R17), sent like a message: composed from the member's current record,
    /// handed to the email providers in order, each call fenced and cut off; then sent, retried with backoff, or given up.
    /// </summary>
    private async Task ProcessNotificationEmailAsync(OutboxEntry entry, Notification notification, CancellationToken cancellationToken)
    {
        if (await notifier.ComposeEmailAsync(notification, cancellationToken).ConfigureAwait(false) is not { } email)
        {
            await store.WriteAsync(work => work.CompleteOutboxEntry(entry.MessageId, Owner), cancellationToken).ConfigureAwait(false);
            return;
        }

        // The organisation's email route, like its messages (R26); an email of its own organisation's sending.
        email = email with { OrganisationId = notification.OrganisationId };
        var (provider, result) = await ProviderFallback.SendAsync(
            routes.Email(notification.OrganisationId) ?? [],
            p => p.Name,
            p => FencedCallAsync(entry.MessageId, ct => p.SendAsync(email, ct), cancellationToken),
            (name, e) => Log.NotificationEmailThrew(logger, e, notification.Id, name),
            NoProvider(MessageChannel.Email, notification.OrganisationId),
            cancellationToken).ConfigureAwait(false);
        await RecordNotificationEmailAsync(entry, notification.Id, provider, result, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordNotificationEmailAsync(OutboxEntry entry, NotificationId notificationId, string provider, ProviderSendResult result, CancellationToken cancellationToken)
    {
        var attempt = entry.Attempts + 1;
        if (result.Succeeded)
        {
            await store.WriteAsync(work => work.CompleteOutboxEntry(entry.MessageId, Owner), cancellationToken).ConfigureAwait(false);
            Log.NotificationEmailed(logger, notificationId, provider);
            return;
        }

        if (result.Failure == ProviderFailureKind.Transient && attempt < _options.MaxAttempts)
        {
            var next = clock.GetCurrentInstant() + Duration.FromTimeSpan(RetryDelay(attempt, result.RetryAfter));
            await store.WriteAsync(work => work.RescheduleOutboxEntry(entry.MessageId, Owner, attempt, next), cancellationToken).ConfigureAwait(false);
            signal.RetryAt(next);
            Log.NotificationEmailRetrying(logger, notificationId, attempt, provider, result.ErrorCode, next);
            return;
        }

        // Refused for good, or out of attempts: the in-app notification stands.
        await store.WriteAsync(work => work.CompleteOutboxEntry(entry.MessageId, Owner), cancellationToken).ConfigureAwait(false);
        Log.NotificationEmailFailed(logger, notificationId, provider, result.ErrorCode);
    }

    private async Task<(string Provider, ProviderSendResult Result)> SendAsync(Message message, string text, string? html, CancellationToken cancellationToken)
    {
        var key = message.Id.ToString();
        var none = NoProvider(message.Channel, message.OrganisationId);
        void Threw(string name, Exception e) => Log.ProviderThrew(logger, e, name, message.Id);
        return message.Channel == MessageChannel.Sms
            ? await ProviderFallback.SendAsync(
                routes.Sms(message.OrganisationId) ?? [],
                p => p.Name,
                p => FencedCallAsync(message.Id, ct => p.SendAsync(new SmsSendRequest(PhoneNumber.FromE164(message.Recipient), text, key) { OrganisationId = message.OrganisationId }, ct), cancellationToken),
                Threw,
                none,
                cancellationToken).ConfigureAwait(false)
            : await ProviderFallback.SendAsync(
                routes.Email(message.OrganisationId) ?? [],
                p => p.Name,
                p => FencedCallAsync(message.Id, ct => p.SendAsync(new EmailSendRequest(EmailAddress.Parse(message.Recipient), message.Subject ?? string.Empty, text, key) { HtmlBody = html, OrganisationId = message.OrganisationId }, ct), cancellationToken),
                Threw,
                none,
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The permanent failure of a send with no provider to try: none registered for the channel, or (when routes changed
    /// since the message was queued) no route for its organisation.
    /// </summary>
    private ProviderSendResult NoProvider(MessageChannel channel, OrganisationId organisationId)
        => (channel == MessageChannel.Sms ? routes.Sms(organisationId) is null : routes.Email(organisationId) is null)
            ? ProviderSendResult.Permanent("no_route", $"Organisation '{organisationId}' has no {channel} route.")
            : ProviderSendResult.Permanent("no_provider", $"No {channel} provider is registered.");

    private async Task RecordAsync(OutboxEntry entry, Message message, string provider, ProviderSendResult result, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var attempt = entry.Attempts + 1;

        if (result.Succeeded)
        {
            var sent = message with
            {
                Status = DeliveryStatus.Sent,
                ProviderName = provider,
                ProviderMessageId = result.ProviderMessageId,
                ProviderStatus = result.RawStatus,
                ErrorCode = null,
                UpdatedAt = now,
                Version = message.Version + 1,
            };
            try
            {
                await store.WriteAsync(
                    work =>
                    {
                        work.UpdateMessage(sent, message.Version);
                        ActivateReplyLink(work, message);
                        work.CompleteOutboxEntry(entry.MessageId, Owner);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict)
            {
                // The provider's delivery report came first (it found the message by the key in its callback URL) and moved
                // the message on: keep its status, and finish what acceptance means.
                if (await RecordAcceptedAfterReportAsync(entry, message, provider, result, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                throw;
            }

            Log.MessageAccepted(logger, message.Id, provider, result.ProviderMessageId);
            await events.PublishAsync(MessageEvents.StatusChanged(sent)!, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (result.Failure == ProviderFailureKind.Transient && attempt < _options.MaxAttempts)
        {
            var next = now + Duration.FromTimeSpan(RetryDelay(attempt, result.RetryAfter));
            var noted = message with { ErrorCode = result.ErrorCode, UpdatedAt = now, Version = message.Version + 1 };
            await store.WriteAsync(
                work =>
                {
                    work.UpdateMessage(noted, message.Version);
                    work.RescheduleOutboxEntry(entry.MessageId, Owner, attempt, next);
                },
                cancellationToken).ConfigureAwait(false);
            signal.RetryAt(next); // the loop wakes when it is due, not at the next poll (R29)
            Log.MessageRetrying(logger, message.Id, attempt, provider, result.ErrorCode, next);
            return;
        }

        // Refused for good, or out of attempts: the provider never took the message, so its credits come back (R15).
        var failed = message with { Status = DeliveryStatus.Failed, ProviderName = provider, ErrorCode = result.ErrorCode, UpdatedAt = now, Version = message.Version + 1 };
        await store.WriteAsync(
            work =>
            {
                work.UpdateMessage(failed, message.Version);
                if (message.AllowReply && message.DirectMessageId is null)
                {
                    // Its link dies with it; the conversation's working link was never superseded (R29).
                    work.RevokeReplyToken(replyTokens.HashFor(message));
                }

                work.CompleteOutboxEntry(entry.MessageId, Owner);
                if (message.Credits > 0)
                {
                    work.AppendCreditEntry(new CreditLedgerEntry(Guid.NewGuid(), message.OrganisationId, CreditEntryKind.Refund, message.Credits, message.Id, now));
                }

                work.AppendAudit(Event(clock, message.OrganisationId, message.WorkspaceId, AuditActor.System, AuditAction.MessageFailed, message.PatientId, message.Id.ToString(),
                    new Dictionary<string, string> { ["provider"] = provider, ["errorCode"] = result.ErrorCode ?? "" }));
            },
            cancellationToken).ConfigureAwait(false);
        Log.MessageFailed(logger, message.Id, provider, result.ErrorCode, message.Credits);
        await events.PublishAsync(MessageEvents.StatusChanged(failed)!, cancellationToken).ConfigureAwait(false);

        if (result.RecipientOptedOut && message.Channel == MessageChannel.Sms)
        {
            await optOuts.SetAsync(message.OrganisationId, PhoneNumber.FromE164(message.Recipient), optedOut: true, $"provider:{result.ErrorCode}", message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>It reached the provider: now its reply link supersedes the older ones (R29).</summary>
    private void ActivateReplyLink(IMessagingUnitOfWork work, Message message)
    {
        if (message.AllowReply && message.DirectMessageId is null)
        {
            work.ActivateReplyToken(replyTokens.HashFor(message));
        }
    }

    /// <summary>
    /// Acceptance recorded after an early delivery report already moved the message to Sent or beyond: the report's status
    /// stays (forward only, R13), the provider's id is kept or filled in, the reply link is activated and the entry
    /// completed. <see langword="false"/> when the stored message is not such a message (another writer moved it some
    /// other way), so the conflict stands.
    /// </summary>
    private async Task<bool> RecordAcceptedAfterReportAsync(OutboxEntry entry, Message message, string provider, ProviderSendResult result, CancellationToken cancellationToken)
    {
        const int MaxRaces = 5;
        for (var race = 1; ; race++)
        {
            var stored = await store.GetMessageAsync(message.Id, cancellationToken).ConfigureAwait(false);
            if (stored is null
                || DeliveryStatusService.Rank(stored.Status) < DeliveryStatusService.Rank(DeliveryStatus.Sent)
                || (stored.ProviderMessageId is { } known && !string.Equals(known, result.ProviderMessageId, StringComparison.Ordinal)))
            {
                return false;
            }

            var completed = stored with
            {
                ProviderName = provider,
                ProviderMessageId = result.ProviderMessageId,
                UpdatedAt = clock.GetCurrentInstant(),
                Version = stored.Version + 1,
            };
            try
            {
                await store.WriteAsync(
                    work =>
                    {
                        work.UpdateMessage(completed, stored.Version);
                        ActivateReplyLink(work, message);
                        work.CompleteOutboxEntry(entry.MessageId, Owner);
                    },
                    cancellationToken).ConfigureAwait(false);
                Log.MessageAccepted(logger, message.Id, provider, result.ProviderMessageId);
                return true;
            }
            catch (MessagingConflictException e) when (e.ErrorCode == MessagingErrorCodes.ConcurrencyConflict && race < MaxRaces)
            {
                // Another report landed meanwhile: read again.
            }
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half the doubled delay fixed, half random; never less than the provider's Retry-After.</summary>
    internal TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var exponential = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.BaseRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var jittered = TimeSpan.FromMilliseconds((exponential / 2) + (Random.Shared.NextDouble() * exponential / 2));
        return retryAfter is { } after && after > jittered ? after : jittered;
    }
}
